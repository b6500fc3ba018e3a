import { useState } from 'react';
import type { LegendEntry } from '../app/api-types.ts';
import { pick, useT } from '../i18n/i18n.ts';
import { useStore } from '../app/store.ts';

/** Legend rows shown before “more”. */
const LEGEND_ROWS = 8;

function text(lang: 'zh' | 'en', v: LegendEntry['label']): string {
  if (!v) return '';
  return typeof v === 'string' ? v : pick(lang, { zh: v.zh ?? '', en: v.en ?? '' });
}

/** The colour swatch of a legend entry (fill, line or point). */
export function Swatch({ e }: { e: LegendEntry }) {
  const colour = e.color ?? e.colour ?? e.fill ?? '#888';
  const kind = (e.shape ?? e.geometry ?? e.type ?? e.kind ?? 'polygon').toLowerCase();
  if (kind.includes('line')) return <span className="swatch line" style={{ background: colour }} />;
  if (kind.includes('point') || kind.includes('circle')) return <span className="swatch point" style={{ background: colour, borderColor: e.stroke ?? '#fff' }} />;
  return <span className="swatch" style={{ background: colour, borderColor: e.stroke ?? colour }} />;
}

/** The rows of a legend: nested groups flattened with their depth; a single group's title (the layer's) left out. */
export function legendRows(entries: LegendEntry[]): Array<{ e: LegendEntry; depth: number }> {
  const flat = (list: LegendEntry[], depth: number): Array<{ e: LegendEntry; depth: number }> =>
    list.flatMap((e) => {
      const kids = e.items ?? e.entries;
      return kids?.length ? [{ e: { ...e, color: undefined, colour: undefined }, depth }, ...flat(kids, depth + 1)] : [{ e, depth }];
    });
  const top = entries.length === 1 && (entries[0].entries ?? entries[0].items)?.length ? (entries[0].entries ?? entries[0].items)! : entries;
  return flat(top, 0).slice(0, 40);
}

/** A layer's legend, from its style's `yitu:legend` metadata (nested groups shown as indented lists). */
export function Legend({ entries }: { entries: LegendEntry[] }) {
  const lang = useStore((s) => s.lang);
  const t = useT();
  const [all, setAll] = useState(false);
  const rows = legendRows(entries);
  // One symbol only: the layer tree shows it beside the layer's name instead.
  if (rows.length < 2) return null;
  const shown = all ? rows : rows.slice(0, LEGEND_ROWS);
  return (
    <ul className="legend" aria-label={t('layers.legend')}>
      {shown.map(({ e, depth }, i) => (
        <li key={i} style={{ paddingLeft: depth * 10 }}>
          {(e.color || e.colour || e.fill) && <Swatch e={e} />}
          <span>{text(lang, e.label ?? e.title)}</span>
        </li>
      ))}
      {rows.length > LEGEND_ROWS && (
        <li>
          <button type="button" className="link small" onClick={() => setAll((x) => !x)}>
            {all ? '▴' : `▾ +${rows.length - LEGEND_ROWS}`}
          </button>
        </li>
      )}
    </ul>
  );
}
