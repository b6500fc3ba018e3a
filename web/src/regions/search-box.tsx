import { useEffect, useRef, useState } from 'react';
import { bbox as turfBbox } from '@turf/turf';
import { api, qs } from '../app/api.ts';
import type { ItemsPage, Region } from '../app/api-types.ts';
import { showLayer, store, useStore } from '../app/store.ts';
import { pick, useT } from '../i18n/i18n.ts';
import { quote } from '../hub/cql2.ts';
import { highlight } from '../map/identify.ts';
import { getMap } from '../map/map-instance.ts';

interface FeatureHit {
  dataset: string;
  id: string | number;
  name: string;
  geometry: GeoJSON.Geometry | null;
}

/** Escapes LIKE wildcards. */
const like = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The search box: regions (`/regions?q=`) and features by name (CQL2 `name LIKE`) of the layers on the map first. */
export function SearchBox() {
  const t = useT();
  const lang = useStore((s) => s.lang);
  const [q, setQ] = useState('');
  const [regions, setRegions] = useState<Region[]>([]);
  const [features, setFeatures] = useState<FeatureHit[]>([]);
  const [open, setOpen] = useState(false);
  const seq = useRef(0);

  useEffect(() => {
    const text = q.trim();
    if (text.length < 1) {
      setRegions([]);
      setFeatures([]);
      return;
    }
    const n = ++seq.current;
    const timer = setTimeout(() => {
      void api<{ regions: Region[] }>(`/regions${qs({ q: text, limit: 6 })}`)
        .then((r) => n === seq.current && setRegions(r.regions))
        .catch(() => setRegions([]));
      const s = store.get();
      const visible = new Set(s.layers.filter((l) => l.visible).map((l) => l.id));
      const named = s.datasets
        .filter((d) => d.kind === 'features' && d.columns.some((c) => c.name === 'name' && c.type === 'text'))
        .sort((a, b) => Number(visible.has(b.id)) - Number(visible.has(a.id)))
        .slice(0, 6);
      void Promise.all(
        named.map((d) =>
          api<ItemsPage>(`/collections/${d.id}/items${qs({ filter: `name LIKE ${quote(`%${like(text)}%`)}`, limit: 3, properties: 'name' })}`)
            .then((p) => p.features.map((f) => ({ dataset: d.id, id: f.id, name: String(f.properties?.name ?? ''), geometry: f.geometry })))
            .catch(() => [] as FeatureHit[]),
        ),
      ).then((all) => n === seq.current && setFeatures(all.flat().slice(0, 10)));
    }, 250);
    return () => clearTimeout(timer);
  }, [q]);

  const go = (bbox: number[], geometry: GeoJSON.Geometry | null) => {
    store.set({ view: 'map' });
    const m = getMap();
    if (!m) return;
    highlight(m, geometry);
    const [x1, y1, x2, y2] = bbox;
    if (x1 === x2 && y1 === y2) m.easeTo({ center: [x1, y1], zoom: Math.max(m.getZoom(), 16) });
    else m.fitBounds([x1, y1, x2, y2], { padding: 60, maxZoom: 17, duration: 600 });
    setOpen(false);
  };
  const datasets = useStore((s) => s.datasets);
  const title = (id: string) => {
    const d = datasets.find((x) => x.id === id);
    return d ? pick(lang, d.title) : id;
  };
  const nothing = q.trim() && !regions.length && !features.length;
  return (
    <div className="search" onFocus={() => setOpen(true)} onBlur={() => setTimeout(() => setOpen(false), 200)}>
      <input type="search" data-testid="search" placeholder={t('search.placeholder')} value={q} onChange={(e) => setQ(e.target.value)} />
      {open && q.trim() && (
        <div className="search-results" data-testid="search-results">
          {regions.length > 0 && <h3>{t('search.regions')}</h3>}
          {regions.map((r) => (
            <button type="button" key={r.code} onClick={() => go(r.bbox, null)}>
              {pick(lang, r.name)} <span className="muted">{r.code}</span>
            </button>
          ))}
          {features.length > 0 && <h3>{t('search.features')}</h3>}
          {features.map((f) => (
            <button
              type="button"
              key={`${f.dataset}-${f.id}`}
              onClick={() => {
                showLayer(f.dataset);
                if (f.geometry) go(turfBbox({ type: 'Feature', properties: {}, geometry: f.geometry }), f.geometry);
              }}
            >
              {f.name} <span className="muted">{title(f.dataset)}</span>
            </button>
          ))}
          {nothing && <p className="muted">{t('search.none')}</p>}
        </div>
      )}
    </div>
  );
}
