import { useState } from 'react';
import { columnTitle, type Dataset } from '../app/api-types.ts';
import { useT } from '../i18n/i18n.ts';
import { operatorsFor, toCql2, type Condition, type Operator } from './cql2.ts';

const OP_LABELS: Record<Operator, { zh: string; en: string }> = {
  '=': { zh: '等于', en: '=' },
  '<>': { zh: '不等于', en: '≠' },
  '<': { zh: '小于', en: '<' },
  '<=': { zh: '小于等于', en: '≤' },
  '>': { zh: '大于', en: '>' },
  '>=': { zh: '大于等于', en: '≥' },
  contains: { zh: '包含', en: 'contains' },
  starts: { zh: '开头是', en: 'starts with' },
  null: { zh: '为空', en: 'is empty' },
  notnull: { zh: '不为空', en: 'is not empty' },
};

/** The condition builder: rows of field, operator, value joined with AND, producing CQL2 text. */
export function Cql2Builder({ ds, lang, onApply }: { ds: Dataset; lang: 'zh' | 'en'; onApply: (cql2: string) => void }) {
  const t = useT();
  const cols = ds.columns.filter((c) => c.type !== 'json');
  const [conds, setConds] = useState<Condition[]>([]);
  const [error, setError] = useState('');
  const typeOf = (f: string) => ds.columns.find((c) => c.name === f)?.type;
  const set = (i: number, change: Partial<Condition>) => setConds((cs) => cs.map((c, k) => (k === i ? { ...c, ...change } : c)));
  const result = toCql2(conds, typeOf);
  const apply = () => {
    if (!result.ok) return setError(result.message);
    setError('');
    onApply(result.text);
  };
  return (
    <div className="cql2" data-testid="cql2-builder">
      {conds.map((c, i) => {
        const ops = operatorsFor(typeOf(c.field) ?? 'text');
        return (
          <div className="cond" key={i}>
            {i > 0 && <span className="and">AND</span>}
            <select aria-label="field" value={c.field} onChange={(e) => set(i, { field: e.target.value, op: operatorsFor(typeOf(e.target.value) ?? 'text')[0] })}>
              {cols.map((col) => (
                <option key={col.name} value={col.name}>
                  {columnTitle(col, lang)}
                </option>
              ))}
            </select>
            <select aria-label="operator" value={c.op} onChange={(e) => set(i, { op: e.target.value as Operator })}>
              {ops.map((o) => (
                <option key={o} value={o}>
                  {OP_LABELS[o][lang]}
                </option>
              ))}
            </select>
            {c.op !== 'null' && c.op !== 'notnull' && (
              <input aria-label="value" placeholder={t('table.value')} value={c.value} onChange={(e) => set(i, { value: e.target.value })} onKeyDown={(e) => e.key === 'Enter' && apply()} />
            )}
            <button type="button" className="icon" onClick={() => setConds((cs) => cs.filter((_, k) => k !== i))}>
              ✕
            </button>
          </div>
        );
      })}
      <div className="cql2-actions">
        <button type="button" data-testid="add-condition" onClick={() => cols[0] && setConds((cs) => [...cs, { field: cols[0].name, op: operatorsFor(cols[0].type)[0], value: '' }])}>
          + {t('table.addCondition')}
        </button>
        <button type="button" className="primary" data-testid="apply-filter" onClick={apply}>
          {t('table.apply')}
        </button>
        <button
          type="button"
          onClick={() => {
            setConds([]);
            setError('');
            onApply('');
          }}
        >
          {t('table.clear')}
        </button>
        {result.ok && result.text && <code className="cql2-text" data-testid="cql2-text">{result.text}</code>}
        {error && <span className="error">{error}</span>}
      </div>
    </div>
  );
}
