import { useEffect, useState } from 'react';
import { store, toast, useStore, type Tool } from '../app/store.ts';
import { useT, type MessageKey } from '../i18n/i18n.ts';
import { BasemapSwitcher } from './basemap-switcher.tsx';
import { downloadPng } from './export-png.ts';
import { getMap } from './map-instance.ts';
import { clearTools, measurement, resetDraft } from './tools.ts';

const TOOLS: Array<[Tool, MessageKey, string]> = [
  ['none', 'tools.identify', 'ⓘ'],
  ['measure-line', 'tools.measureLine', '📏'],
  ['measure-area', 'tools.measureArea', '⬠'],
  ['draw-point', 'tools.drawPoint', '•'],
  ['draw-line', 'tools.drawLine', '╱'],
  ['draw-polygon', 'tools.drawPolygon', '▱'],
];

function useMeasurement(): string {
  const [text, setText] = useState(measurement.text);
  useEffect(() => {
    const l = () => setText(measurement.text);
    measurement.listeners.add(l);
    return () => void measurement.listeners.delete(l);
  }, []);
  return text;
}

/** The map's toolbar: tools, basemap, 2D/3D, swipe, export, share. */
export function Toolbar({ treeOpen, onToggleTree }: { treeOpen: boolean; onToggleTree: () => void }) {
  const t = useT();
  const tool = useStore((s) => s.tool);
  const pitch3d = useStore((s) => s.pitch3d);
  const drawings = useStore((s) => s.drawings.length);
  const layers = useStore((s) => s.layers);
  const swipe = useStore((s) => s.swipe);
  const text = useMeasurement();
  const pick = (x: Tool) => {
    const m = getMap();
    if (m) resetDraft(m);
    store.set({ tool: x });
  };
  const startSwipe = () => {
    if (swipe) return store.set({ swipe: null });
    const on = layers.filter((l) => l.visible);
    const all = store.get().datasets.filter((d) => d.kind === 'features');
    const left = on[0]?.id ?? all[0]?.id;
    const right = on[1]?.id ?? all.find((d) => d.id !== left)?.id;
    if (left && right) store.set({ swipe: { left, right } });
  };
  return (
    <div className="toolbar" data-testid="toolbar">
      {!treeOpen && (
        <button type="button" className="tool" onClick={onToggleTree}>
          ☰ {t('layers.title')}
        </button>
      )}
      <div className="tool-group">
        {TOOLS.map(([x, key, icon]) => (
          <button key={x} type="button" className={`tool ${tool === x ? 'active' : ''}`} data-testid={`tool-${x}`} title={t(key)} onClick={() => pick(x)}>
            <span className="tool-icon">{icon}</span>
            <span className="tool-label">{t(key)}</span>
          </button>
        ))}
        <button type="button" className="tool" onClick={() => getMap() && clearTools(getMap()!)}>
          {t('tools.clear')}
        </button>
      </div>
      <div className="tool-group">
        <button type="button" className={`tool ${!pitch3d ? 'active' : ''}`} data-testid="mode-2d" onClick={() => store.set({ pitch3d: false })}>
          {t('map.2d')}
        </button>
        <button type="button" className={`tool ${pitch3d ? 'active' : ''}`} data-testid="mode-3d" onClick={() => store.set({ pitch3d: true })}>
          {t('map.3d')}
        </button>
        <button type="button" className={`tool ${swipe ? 'active' : ''}`} onClick={startSwipe}>
          {t('tools.swipe')}
        </button>
        <BasemapSwitcher />
      </div>
      <div className="tool-group secondary">
        <button type="button" className="tool" data-testid="export-png" onClick={() => getMap() && void downloadPng(getMap()!)}>
          {t('map.export')}
        </button>
        <button
          type="button"
          className="tool"
          onClick={() => {
            void navigator.clipboard?.writeText(window.location.href).then(
              () => toast(t('map.copied')),
              () => toast(window.location.href),
            );
          }}
        >
          {t('map.share')}
        </button>
      </div>
      {(tool !== 'none' || text || drawings > 0) && (
        <div className="measure-readout" data-testid="measure-readout">
          {tool !== 'none' && <span className="muted">{tool.startsWith('measure') ? t('tools.hint.measure') : t('tools.hint.draw')}</span>}
          {text && <strong>{text}</strong>}
          {drawings > 0 && <span>{t('tools.drawings', { n: drawings })}</span>}
        </div>
      )}
    </div>
  );
}
