import { useEffect, useState } from 'react';
import { THEMES, type Dataset, type Theme } from '../app/api-types.ts';
import { store, toast, updateLayer, useStore, type LayerState } from '../app/store.ts';
import { fmtNumber, pick, useT } from '../i18n/i18n.ts';
import { loadFragment, THEME_COLOURS, type StyleFragment } from './dataset-style.ts';
import { getMap } from './map-instance.ts';
import { Legend, Swatch, legendRows } from './legend.tsx';
import { addDatasetToMap } from '../maps/map-edit.ts';

/** Moves layer `id` to just before `before` in the tree's order. */
function moveBefore(id: string, before: string): void {
  store.set((s) => {
    if (id === before) return {};
    const moving = s.layers.find((l) => l.id === id)!;
    const rest = s.layers.filter((l) => l.id !== id);
    const i = rest.findIndex((l) => l.id === before);
    rest.splice(i < 0 ? rest.length : i, 0, moving);
    return { layers: rest };
  });
}

/** Swaps a layer with its neighbour of the same theme (dir -1: up, drawn higher). */
function step(id: string, dir: -1 | 1, themeOf: (id: string) => Theme | undefined): void {
  store.set((s) => {
    const same = s.layers.filter((l) => themeOf(l.id) === themeOf(id));
    const k = same.findIndex((l) => l.id === id);
    const other = same[k + dir];
    if (!other) return {};
    const layers = [...s.layers];
    const a = layers.findIndex((l) => l.id === id);
    const b = layers.findIndex((l) => l.id === other.id);
    [layers[a], layers[b]] = [layers[b], layers[a]];
    return { layers };
  });
}

function useFragment(ds: Dataset | undefined, open: boolean): StyleFragment | null {
  const lang = useStore((s) => s.lang);
  const rev = useStore((s) => (ds ? s.revision[ds.id] ?? 0 : 0));
  const [f, setF] = useState<StyleFragment | null>(null);
  useEffect(() => {
    if (!ds || !open || ds.kind !== 'features') return;
    let live = true;
    void loadFragment(ds, lang, rev).then((x) => live && setF(x)).catch(() => {});
    return () => {
      live = false;
    };
  }, [ds, open, lang, rev]);
  return f;
}

function zoomTo(ds: Dataset): void {
  const m = getMap();
  if (m && ds.bbox) m.fitBounds([ds.bbox[0], ds.bbox[1], ds.bbox[2], ds.bbox[3]], { padding: 40, duration: 600 });
}

function LayerRow({ l, ds, themeOf }: { l: LayerState; ds: Dataset; themeOf: (id: string) => Theme | undefined }) {
  const t = useT();
  const lang = useStore((s) => s.lang);
  const [open, setOpen] = useState(false);
  const mapOpen = useStore((s) => (s.openMap ? s.openMap.title : null));
  const fragment = useFragment(ds, open || l.visible);
  const spatial = ds.kind === 'features';
  const rows = l.visible && fragment ? legendRows(fragment.legend) : [];
  const single = rows.length === 1 ? rows[0].e : null;
  return (
    <li
      className={`layer ${l.visible ? 'on' : ''}`}
      data-testid={`layer-${ds.id}`}
      draggable
      onDragStart={(e) => e.dataTransfer.setData('text/x-yitu-layer', ds.id)}
      onDragOver={(e) => e.preventDefault()}
      onDrop={(e) => {
        const id = e.dataTransfer.getData('text/x-yitu-layer');
        if (id && themeOf(id) === ds.theme) moveBefore(id, ds.id);
      }}
    >
      <div className="layer-row">
        <input type="checkbox" aria-label={pick(lang, ds.title)} checked={l.visible} disabled={!spatial} onChange={(e) => updateLayer(ds.id, { visible: e.target.checked })} />
        {single ? <Swatch e={single} /> : null}
        <button type="button" className="layer-title" onClick={() => setOpen((o) => !o)} title={pick(lang, ds.description)}>
          {pick(lang, ds.title)}
        </button>
        <span className="count">{fmtNumber(lang, ds.featureCount)}</span>
        <button type="button" className="icon" title={t('layers.up')} onClick={() => step(ds.id, -1, themeOf)}>
          ▲
        </button>
        <button type="button" className="icon" title={t('layers.down')} onClick={() => step(ds.id, 1, themeOf)}>
          ▼
        </button>
      </div>
      {open && (
        <div className="layer-more">
          {spatial && (
            <label className="opacity">
              {t('layers.opacity')}
              <input type="range" min={0} max={1} step={0.05} value={l.opacity} onChange={(e) => updateLayer(ds.id, { opacity: Number(e.target.value) })} />
              <span>{Math.round(l.opacity * 100)}%</span>
            </label>
          )}
          <div className="layer-actions">
            <button type="button" onClick={() => store.set({ table: ds.id })}>{t('layers.table')}</button>
            {spatial && <button type="button" onClick={() => zoomTo(ds)}>{t('layers.zoom')}</button>}
            {spatial && <button type="button" onClick={() => store.set({ styleEditor: ds.id })}>{t('layers.style')}</button>}
            {spatial && <button type="button" onClick={() => {
                  updateLayer(ds.id, { visible: true });
                  store.set({ time: { dataset: ds.id, version: ds.currentVersion } });
                }}>{t('tools.time')}</button>}
            {spatial && mapOpen && (
              <button type="button" data-testid={`layer-add-to-map-${ds.id}`} onClick={() => addDatasetToMap(ds.id) && toast(t('maps.added', { name: pick(lang, mapOpen) }))}>
                {t('maps.addLayer')}
              </button>
            )}
          </div>
        </div>
      )}
      {l.visible && fragment && <Legend entries={fragment.legend} />}
    </li>
  );
}

/** The layer tree: every dataset of the catalog grouped by theme, with visibility, order, opacity and legends. */
export function LayerTree({ onClose }: { onClose: () => void }) {
  const t = useT();
  const lang = useStore((s) => s.lang);
  const layers = useStore((s) => s.layers);
  const datasets = useStore((s) => s.datasets);
  const [q, setQ] = useState('');
  const [closed, setClosed] = useState<Record<string, boolean>>({});
  const byId = new Map(datasets.map((d) => [d.id, d]));
  const themeOf = (id: string) => byId.get(id)?.theme;
  const match = (d: Dataset) => !q || `${d.id} ${d.title.zh} ${d.title.en}`.toLowerCase().includes(q.toLowerCase());
  const visible = layers.filter((l) => l.visible).length;
  return (
    <div className="panel layer-tree" data-testid="layer-tree">
      <div className="panel-head">
        <h2>{t('layers.title')}</h2>
        <span className="muted">{t('layers.visibleCount', { n: visible })}</span>
        <button type="button" className="icon close-tree" title={t('layers.collapse')} onClick={onClose}>
          ✕
        </button>
      </div>
      <input className="filter" placeholder={t('layers.filter')} value={q} onChange={(e) => setQ(e.target.value)} />
      {THEMES.map((theme) => {
        const rows = layers.filter((l) => byId.get(l.id)?.theme === theme && match(byId.get(l.id)!));
        if (!rows.length) return null;
        const on = rows.filter((l) => l.visible && byId.get(l.id)!.kind === 'features');
        const spatial = rows.filter((l) => byId.get(l.id)!.kind === 'features');
        return (
          <section key={theme} className="theme-group" data-theme={theme}>
            <div className="theme-head">
              <input
                type="checkbox"
                aria-label={t(`theme.${theme}`)}
                checked={on.length > 0 && on.length === spatial.length}
                ref={(el) => {
                  if (el) el.indeterminate = on.length > 0 && on.length < spatial.length;
                }}
                onChange={(e) => spatial.forEach((l) => updateLayer(l.id, { visible: e.target.checked }))}
              />
              <button type="button" className="theme-title" onClick={() => setClosed((c) => ({ ...c, [theme]: !c[theme] }))}>
                <span className="theme-dot" style={{ background: THEME_COLOURS[theme] }} />
                {t(`theme.${theme}`)}
                <span className="muted"> {on.length}/{rows.length}</span>
                <span className="chev">{closed[theme] ? '▸' : '▾'}</span>
              </button>
            </div>
            {!closed[theme] && (
              <ul>
                {rows.map((l) => (
                  <LayerRow key={l.id} l={l} ds={byId.get(l.id)!} themeOf={themeOf} />
                ))}
              </ul>
            )}
          </section>
        );
      })}
      {!datasets.length && <p className="muted">{t('common.loading')}</p>}
      <p className="muted small">{lang === 'zh' ? '拖动图层可调整上下顺序' : 'Drag layers to reorder them'}</p>
    </div>
  );
}
