import { useEffect, useRef } from 'react';
import * as maplibregl from 'maplibre-gl';
import type { Dataset } from '../app/api-types.ts';
import { useStore } from '../app/store.ts';
import { listBasemaps, loadBasemapStyle } from '../map/basemap.ts';
import { loadFragment } from '../map/dataset-style.ts';
import { LOCAL_CJK_FONTS } from '../map/map-instance.ts';

/** A small map of one dataset over the basemap, fitted to its extent (vector tiles, like the workspace). */
export function PreviewMap({ ds }: { ds: Dataset }) {
  const el = useRef<HTMLDivElement>(null);
  const lang = useStore((s) => s.lang);
  useEffect(() => {
    let map: maplibregl.Map | null = null;
    let disposed = false;
    void (async () => {
      const style = await loadBasemapStyle((await listBasemaps())[0], lang);
      const f = await loadFragment(ds, lang);
      Object.assign(style.sources, f.sources);
      style.layers.push(...f.layers);
      if (disposed || !el.current) return;
      map = new maplibregl.Map({
        container: el.current,
        style,
        bounds: ds.bbox ?? undefined,
        fitBoundsOptions: { padding: 20 },
        attributionControl: false,
        localIdeographFontFamily: LOCAL_CJK_FONTS,
      });
      map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
    })();
    return () => {
      disposed = true;
      map?.remove();
    };
  }, [ds.id, lang]);
  return <div ref={el} className="preview-map" data-testid="preview-map" />;
}
