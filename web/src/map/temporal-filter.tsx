import { useEffect, useState } from 'react';
import type { Dataset } from '../app/api-types.ts';
import { store } from '../app/store.ts';
import { useT } from '../i18n/i18n.ts';
import { literal } from '../hub/cql2.ts';

const STEPS = 60;

/** The CQL2 condition "the temporal column is on or before `day`" (cumulative: what existed by then). */
export function temporalCondition(ds: Dataset, day: string): string | null {
  const col = ds.columns.find((c) => c.name === ds.temporalColumn);
  if (!col || (col.type !== 'date' && col.type !== 'timestamp')) return null;
  const lit = literal(col.type, col.type === 'date' ? day : `${day}T23:59:59Z`);
  return lit.ok ? `${col.name} <= ${lit.text}` : null;
}

/**
 * The time slider over a dataset's temporal data: a date between the first and the last value of
 * its temporal column; the map shows the features up to that date (a CQL2 filter on its tiles).
 * Plays through time step by step.
 */
export function TemporalFilter({ ds }: { ds: Dataset }) {
  const t = useT();
  const start = Date.parse(ds.temporal.start ?? '');
  const end = Date.parse(ds.temporal.end ?? '');
  const [k, setK] = useState(STEPS);
  const [playing, setPlaying] = useState(false);
  const day = new Date(start + ((end - start) * k) / STEPS).toISOString().slice(0, 10);

  useEffect(() => {
    const cond = k >= STEPS ? null : temporalCondition(ds, day);
    store.set((s) => {
      const mapFilters = { ...s.mapFilters };
      if (cond) mapFilters[ds.id] = cond;
      else delete mapFilters[ds.id];
      return { mapFilters };
    });
  }, [ds, day, k]);
  // Closing the slider shows every feature again.
  useEffect(
    () => () =>
      store.set((s) => {
        const mapFilters = { ...s.mapFilters };
        delete mapFilters[ds.id];
        return { mapFilters };
      }),
    [ds.id],
  );
  useEffect(() => {
    if (!playing) return;
    const timer = setInterval(() => setK((x) => (x >= STEPS ? 0 : x + 1)), 900);
    return () => clearInterval(timer);
  }, [playing]);

  if (!Number.isFinite(start) || !Number.isFinite(end) || end <= start) return null;
  return (
    <div className="temporal" data-testid="temporal-filter">
      <div className="temporal-row">
        <button type="button" className="icon play" onClick={() => setPlaying((p) => !p)} title={playing ? '❚❚' : '▶'}>
          {playing ? '❚❚' : '▶'}
        </button>
        <input type="range" min={0} max={STEPS} value={k} onChange={(e) => setK(Number(e.target.value))} aria-label={t('time.upTo', { d: day })} />
      </div>
      <div className="ticks">
        <span>{ds.temporal.start!.slice(0, 10)}</span>
        <strong>{k >= STEPS ? t('time.all') : t('time.upTo', { d: day })}</strong>
        <span>{ds.temporal.end!.slice(0, 10)}</span>
      </div>
    </div>
  );
}
