import { useEffect, useState } from 'react';
import { store, updateMapLayer, useStore, type MapLayerState } from '../app/store.ts';
import { pick, useT } from '../i18n/i18n.ts';
import { loadMapLayerFragment, type StyleFragment } from '../map/dataset-style.ts';
import { Legend, Swatch, legendRows } from '../map/legend.tsx';
import { removeMapLayer, removedLayer, undoRemove } from './map-edit.ts';
import { MapLayerEditor } from './map-layer-editor.tsx';

/** Moves a saved-map layer one step in the drawing order (dir +1: drawn higher). */
function stepMapLayer(id: string, dir: 1 | -1): void {
  store.set((s) => {
    const layers = [...s.mapLayers];
    const i = layers.findIndex((l) => l.id === id);
    const j = i + dir;
    if (i < 0 || j < 0 || j >= layers.length) return {};
    [layers[i], layers[j]] = [layers[j], layers[i]];
    return { mapLayers: layers, openMap: s.openMap ? { ...s.openMap, dirty: true } : null };
  });
}

/** The legend of a saved-map layer as compiled with its own style (shared with the map's cache). */
function useMapLayerFragment(l: MapLayerState): StyleFragment | null {
  const lang = useStore((s) => s.lang);
  const rev = useStore((s) => s.revision[l.dataset] ?? 0);
  const [f, setF] = useState<StyleFragment | null>(null);
  useEffect(() => {
    if (!l.visible || l.missing) return;
    let live = true;
    void loadMapLayerFragment(l, lang, rev).then((x) => live && setF(x)).catch(() => {});
    return () => {
      live = false;
    };
  }, [l, lang, rev]);
  return f;
}

function MapLayerRow({ l }: { l: MapLayerState }) {
  const t = useT();
  const lang = useStore((s) => s.lang);
  const ds = useStore((s) => s.datasets.find((d) => d.id === l.dataset));
  const [open, setOpen] = useState(false);
  const [editing, setEditing] = useState(false);
  const fragment = useMapLayerFragment(l);
  const title = pick(lang, { zh: l.legendTitle?.zh ?? '', en: l.legendTitle?.en ?? '' }) || (ds ? pick(lang, ds.title) : l.dataset);
  const rows = l.visible && fragment ? legendRows(fragment.legend) : [];
  const single = rows.length === 1 ? rows[0].e : null;
  return (
    <li className={`layer ${l.visible ? 'on' : ''}`} data-testid={`map-layer-${l.id}`}>
      <div className="layer-row">
        <input type="checkbox" aria-label={title} checked={l.visible} disabled={l.missing} onChange={(e) => updateMapLayer(l.id, { visible: e.target.checked })} />
        {single ? <Swatch e={single} /> : null}
        <button type="button" className="layer-title" onClick={() => setOpen((o) => !o)} title={l.filter ?? ''}>
          {title}
          {l.missing && <span className="muted"> ({t('maps.missing')})</span>}
          {l.filter && <span className="muted"> ⧩</span>}
        </button>
        <button type="button" className="icon" title={t('layers.up')} onClick={() => stepMapLayer(l.id, 1)}>
          ▲
        </button>
        <button type="button" className="icon" title={t('layers.down')} onClick={() => stepMapLayer(l.id, -1)}>
          ▼
        </button>
        <button
          type="button"
          className="icon"
          title={t('maps.removeLayer')}
          data-testid={`map-layer-remove-${l.id}`}
          onClick={() => removeMapLayer(l.id)}
        >
          ✕
        </button>
      </div>
      {open && !l.missing && (
        <div className="layer-more">
          <label className="opacity">
            {t('layers.opacity')}
            <input type="range" min={0} max={1} step={0.05} value={l.opacity} onChange={(e) => updateMapLayer(l.id, { opacity: Number(e.target.value) })} />
            <span>{Math.round(l.opacity * 100)}%</span>
          </label>
          <div className="layer-actions">
            <button type="button" onClick={() => store.set({ table: l.dataset })}>{t('layers.table')}</button>
            <button type="button" data-testid={`map-layer-style-${l.id}`} onClick={() => store.set({ styleEditor: `ml:${l.id}` })}>{t('layers.style')}</button>
            {ds && (
              <button type="button" data-testid={`map-layer-edit-${l.id}`} onClick={() => setEditing((e) => !e)}>
                {t('maps.editLayer')}
              </button>
            )}
          </div>
          {editing && ds && <MapLayerEditor l={l} ds={ds} />}
        </div>
      )}
      {l.visible && fragment && <Legend entries={fragment.legend} />}
    </li>
  );
}

/** The layers of the open saved map, top first, each with its own style's legend, visibility, order and opacity. */
export function MapLayersPanel() {
  const t = useT();
  const lang = useStore((s) => s.lang);
  const open = useStore((s) => s.openMap);
  const layers = useStore((s) => s.mapLayers);
  // Re-read on every change of the store: the undo offer goes once the layer is back or another map opens.
  const removed = useStore(() => removedLayer());
  const datasets = useStore((s) => s.datasets);
  if (!open) return null;
  const removedTitle = removed ? pick(lang, { zh: removed.legendTitle?.zh ?? '', en: removed.legendTitle?.en ?? '' }) || pick(lang, datasets.find((d) => d.id === removed.dataset)?.title) || removed.dataset : '';
  return (
    <div className="panel map-layers" data-testid="map-layers">
      <div className="panel-head">
        <h2>{pick(lang, open.title) || open.id}</h2>
        <span className="muted">{t('maps.layers')}</span>
      </div>
      {removed && (
        <p className="muted small undo-row">
          {t('maps.removed', { name: removedTitle })}{' '}
          <button type="button" className="link" data-testid="map-layer-undo" onClick={undoRemove}>
            {t('maps.undo')}
          </button>
        </p>
      )}
      <ul>
        {[...layers].reverse().map((l) => (
          <MapLayerRow key={l.id} l={l} />
        ))}
      </ul>
    </div>
  );
}
