import { useState } from 'react';
import type { LegendEntry, LegendGroup } from '../app/api-types.ts';
import { useT } from '../i18n/i18n.ts';

/** Legend rows shown before “more”. */
const LEGEND_ROWS = 8;

/** The colour swatch of a legend entry (fill, line, circle, extrusion or gradient). */
export function Swatch({ e }: { e: LegendEntry }) {
  if (e.shape === 'line') return <span className="swatch line" style={{ background: e.colour }} />;
  if (e.shape === 'circle') return <span className="swatch point" style={{ background: e.colour, borderColor: e.stroke ?? '#fff' }} />;
  const background = e.shape === 'gradient' && e.colours?.length ? `linear-gradient(90deg, ${e.colours.join(', ')})` : e.colour;
  return <span className="swatch" style={{ background, borderColor: e.stroke ?? e.colour }} />;
}

/** A row of a legend: a group's title (no swatch) or an entry, with its indent. */
export interface LegendRow {
  label: string;
  e?: LegendEntry;
  depth: number;
}

/** The rows of a legend: one group's entries, or each group's title followed by its entries. */
export function legendRows(groups: LegendGroup[]): LegendRow[] {
  if (groups.length === 1) return groups[0].entries.map((e) => ({ label: e.label, e, depth: 0 }));
  return groups.flatMap((g) => [{ label: g.title, depth: 0 }, ...g.entries.map((e) => ({ label: e.label, e, depth: 1 }))]);
}

/** A layer's legend, from its style's `yitu:legend` metadata (nested groups shown as indented lists). */
export function Legend({ entries }: { entries: LegendGroup[] }) {
  const t = useT();
  const [all, setAll] = useState(false);
  const rows = legendRows(entries);
  // One symbol only: the layer tree shows it beside the layer's name instead.
  if (rows.length < 2) return null;
  const shown = all ? rows : rows.slice(0, LEGEND_ROWS);
  return (
    <ul className="legend" aria-label={t('layers.legend')}>
      {shown.map(({ e, label, depth }, i) => (
        <li key={i} style={{ paddingLeft: depth * 10 }}>
          {e && <Swatch e={e} />}
          <span>{label}</span>
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
