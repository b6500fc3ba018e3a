import { useEffect, useState } from 'react';
import { api, qs } from '../app/api.ts';
import type { DatasetVersion, ItemsPage } from '../app/api-types.ts';
import { store, useStore } from '../app/store.ts';
import { pick, useT } from '../i18n/i18n.ts';
import { getMap } from './map-instance.ts';
import { setOverlay } from './overlays.ts';
import { TemporalFilter } from './temporal-filter.tsx';

/** Features of an older version drawn over the current view (the browser never reads a whole large dataset). */
const VERSION_LIMIT = 2000;

/**
 * The time slider over a dataset's versions (`/datasets/{id}/versions`): an older version is read
 * as of that version (`/items?version=`) within the current view and drawn over the map in orange.
 */
export function TimeSlider() {
  const t = useT();
  const lang = useStore((s) => s.lang);
  const time = useStore((s) => s.time)!;
  const ds = useStore((s) => s.datasets.find((d) => d.id === time.dataset));
  const [versions, setVersions] = useState<DatasetVersion[]>([]);
  const [shown, setShown] = useState<number | null>(null);

  useEffect(() => {
    void api<{ versions: DatasetVersion[] }>(`/datasets/${time.dataset}/versions`).then((r) => setVersions([...r.versions].sort((a, b) => a.version - b.version)));
  }, [time.dataset]);

  useEffect(() => {
    const m = getMap();
    if (!m || !ds) return;
    if (time.version >= ds.currentVersion) {
      setOverlay(m, 'yitu-time', []);
      setShown(null);
      return;
    }
    const load = () => {
      const b = m.getBounds();
      const bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((v) => v.toFixed(6)).join(',');
      void api<ItemsPage>(`/collections/${ds.id}/items${qs({ version: time.version, bbox, limit: VERSION_LIMIT })}`).then((p) => {
        setOverlay(m, 'yitu-time', p.features);
        setShown(p.numberReturned);
      });
    };
    load();
    m.on('moveend', load);
    return () => {
      m.off('moveend', load);
      setOverlay(m, 'yitu-time', []);
    };
  }, [ds, time.version]);

  if (!ds) return null;
  const v = versions.find((x) => x.version === time.version);
  return (
    <div className="panel time-slider" data-testid="time-slider">
      <div className="panel-head">
        <h2>
          {t('time.title')} · {pick(lang, ds.title)}
        </h2>
        <button type="button" className="icon" title={t('time.close')} onClick={() => store.set({ time: null })}>
          ✕
        </button>
      </div>
      {ds.temporalColumn && (
        <>
          <h3 className="sub">{t('time.temporal', { c: ds.columns.find((c) => c.name === ds.temporalColumn)?.title ?? ds.temporalColumn })}</h3>
          <TemporalFilter ds={ds} />
          <h3 className="sub">{t('time.versions')}</h3>
        </>
      )}
      <input
        type="range"
        min={1}
        max={Math.max(1, ds.currentVersion)}
        step={1}
        value={time.version}
        disabled={ds.currentVersion <= 1}
        onChange={(e) => store.set({ time: { ...time, version: Number(e.target.value) } })}
      />
      <div className="ticks">
        {versions.map((x) => (
          <span key={x.version} className={x.version === time.version ? 'on' : ''}>
            v{x.version}
          </span>
        ))}
      </div>
      <p className="small">
        <strong>{t('time.version', { v: time.version })}</strong>
        {time.version === ds.currentVersion ? ` (${t('time.current')})` : ''} {v ? ` · ${v.createdAt.slice(0, 10)} · ${v.mode} · ${v.featureCount}` : ''}
        {v?.message ? ` · ${v.message}` : ''}
        {shown !== null ? ` · ${shown}${shown >= VERSION_LIMIT ? '+' : ''}` : ''}
      </p>
    </div>
  );
}
