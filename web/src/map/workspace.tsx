import { useEffect, useState } from 'react';
import { useStore } from '../app/store.ts';
import type { HashState } from '../app/url-hash.ts';
import { AttributeTable } from '../hub/attribute-table.tsx';
import { SavedMaps } from '../maps/saved-maps.tsx';
import { MapLayersPanel } from '../maps/map-layers-panel.tsx';
import { IdentifyPanel } from './identify-panel.tsx';
import { LayerTree } from './layer-tree.tsx';
import { getMap } from './map-instance.ts';
import { MapView } from './map-view.tsx';
import { StyleEditor } from './style-editor.tsx';
import { Swipe } from './swipe.tsx';
import { TimeSlider } from './time-slider.tsx';
import { Toolbar } from './toolbar.tsx';

/** The map workspace: layer tree, map with toolbar, identify panel, attribute table. */
export function Workspace({ initial }: { initial: HashState }) {
  const view = useStore((s) => s.view);
  const table = useStore((s) => s.table);
  const styleEditor = useStore((s) => s.styleEditor);
  const swipe = useStore((s) => s.swipe);
  const time = useStore((s) => s.time);
  const mapOpen = useStore((s) => s.openMap !== null);
  const [treeOpen, setTreeOpen] = useState(() => window.innerWidth > 720);

  useEffect(() => {
    // The map was hidden behind another screen, or the table changed its height.
    const m = getMap();
    if (m) requestAnimationFrame(() => m.resize());
  }, [view, table, treeOpen]);

  return (
    <div className={`workspace ${treeOpen ? 'tree-open' : 'tree-closed'}`}>
      <aside className="side">
        {/* An open saved map comes first: its layers, then the map's panel (title, access, share link), then the tree. */}
        <MapLayersPanel />
        {mapOpen && <SavedMaps />}
        <LayerTree onClose={() => setTreeOpen(false)} />
        {!mapOpen && <SavedMaps />}
      </aside>
      <section className="center">
        <div className="map-area">
          <MapView initial={initial} />
          <Toolbar treeOpen={treeOpen} onToggleTree={() => setTreeOpen((o) => !o)} />
          {swipe && <Swipe />}
          {time && <TimeSlider />}
          <IdentifyPanel />
          {styleEditor && <StyleEditor id={styleEditor} />}
        </div>
        {table && <AttributeTable id={table} />}
      </section>
    </div>
  );
}
