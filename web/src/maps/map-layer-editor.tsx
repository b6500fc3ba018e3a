import { useEffect, useState, type InputHTMLAttributes } from 'react';
import { columnTitle, type Dataset } from '../app/api-types.ts';
import { updateMapLayer, useStore, type MapLayerState } from '../app/store.ts';
import { useT } from '../i18n/i18n.ts';
import { Cql2Builder } from '../hub/cql2-builder.tsx';
import { checkFilter } from './map-edit.ts';
import type { LabelSpec } from '../../../server/map/styles/spec.ts';

/** Label settings the editor does not expose take the server's defaults (`labelSchema`). */
const LABEL_DEFAULTS: Omit<LabelSpec, 'field' | 'minZoom'> = { size: 12, colour: '#333333', halo: '#ffffff', haloWidth: 1.5 };

/** The layer's CQL2 filter: a text box checked by the server (its message on a 400), or the condition builder. */
function FilterEditor({ l, ds }: { l: MapLayerState; ds: Dataset }) {
  const t = useT();
  const lang = useStore((s) => s.lang);
  const [text, setText] = useState(l.filter ?? '');
  const [error, setError] = useState('');
  const [builder, setBuilder] = useState(false);
  useEffect(() => setText(l.filter ?? ''), [l.filter]);
  const apply = (filter: string) => {
    setText(filter);
    void checkFilter(l.dataset, filter)
      .then((message) => {
        setError(message ?? '');
        if (!message) updateMapLayer(l.id, { filter: filter.trim() || null });
      })
      .catch((e: Error) => setError(e.message));
  };
  return (
    <div className="map-layer-filter">
      <label className="field">
        {t('maps.filter')}
        <span className="share-row">
          <input data-testid={`map-layer-filter-${l.id}`} value={text} placeholder="land_class = '水田'" onChange={(e) => setText(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && apply(text)} />
          <button type="button" className="small" data-testid={`map-layer-filter-apply-${l.id}`} onClick={() => apply(text)}>
            {t('table.apply')}
          </button>
          <button type="button" className="small" onClick={() => setBuilder((b) => !b)}>
            {t('maps.filterBuilder')}
          </button>
        </span>
      </label>
      {error && <p className="error small" data-testid={`map-layer-filter-error-${l.id}`}>{error}</p>}
      {builder && <Cql2Builder ds={ds} lang={lang} onApply={apply} />}
    </div>
  );
}

/** Label field (by the columns' display titles) and minimum zoom; “the style's” keeps the style's own labels. */
function LabelEditor({ l, ds }: { l: MapLayerState; ds: Dataset }) {
  const t = useT();
  const lang = useStore((s) => s.lang);
  const value = l.label === undefined ? '' : l.label === null ? '-' : l.label.field;
  const setField = (v: string) => {
    if (v === '') updateMapLayer(l.id, { label: undefined });
    else if (v === '-') updateMapLayer(l.id, { label: null });
    else updateMapLayer(l.id, { label: { ...LABEL_DEFAULTS, ...(l.label ?? {}), field: v, minZoom: l.label?.minZoom ?? 12 } });
  };
  return (
    <div className="map-layer-label">
      <label className="field">
        {t('maps.label')}
        <select data-testid={`map-layer-label-${l.id}`} value={value} onChange={(e) => setField(e.target.value)}>
          <option value="">{t('maps.labelFromStyle')}</option>
          <option value="-">{t('maps.labelNone')}</option>
          {ds.columns
            .filter((c) => c.type !== 'json')
            .map((c) => (
              <option key={c.name} value={c.name}>
                {columnTitle(c, lang)}
              </option>
            ))}
        </select>
      </label>
      {l.label && (
        <label className="field">
          {t('maps.labelMinZoom')}
          <input
            type="number"
            min={0}
            max={24}
            step={0.5}
            data-testid={`map-layer-label-zoom-${l.id}`}
            value={l.label.minZoom}
            onChange={(e) => {
              const z = Number(e.target.value);
              if (l.label && Number.isFinite(z) && z >= 0 && z <= 24) updateMapLayer(l.id, { label: { ...l.label, minZoom: z } });
            }}
          />
        </label>
      )}
    </div>
  );
}

/** A text committed on Enter or when the box loses focus (so typing does not recompile the layer each key). */
function CommitInput({ value, onCommit, ...rest }: { value: string; onCommit: (v: string) => void } & Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange'>) {
  const [v, setV] = useState(value);
  useEffect(() => setV(value), [value]);
  return <input {...rest} value={v} onChange={(e) => setV(e.target.value)} onBlur={() => v !== value && onCommit(v)} onKeyDown={(e) => e.key === 'Enter' && v !== value && onCommit(v)} />;
}

/** What a map layer shows besides its style: legend title (zh/en), CQL2 filter, labels. */
export function MapLayerEditor({ l, ds }: { l: MapLayerState; ds: Dataset }) {
  const t = useT();
  const setTitle = (lang: 'zh' | 'en', v: string) => {
    const next = { ...(l.legendTitle ?? {}), [lang]: v.trim() };
    if (!next[lang]) delete next[lang];
    updateMapLayer(l.id, { legendTitle: next.zh || next.en ? next : null });
  };
  return (
    <div className="map-layer-editor" data-testid={`map-layer-editor-${l.id}`}>
      <label className="field">
        {t('maps.legendTitleZh')}
        <CommitInput data-testid={`map-layer-legend-zh-${l.id}`} maxLength={200} value={l.legendTitle?.zh ?? ''} placeholder={ds.title.zh} onCommit={(v) => setTitle('zh', v)} />
      </label>
      <label className="field">
        {t('maps.legendTitleEn')}
        <CommitInput data-testid={`map-layer-legend-en-${l.id}`} maxLength={200} value={l.legendTitle?.en ?? ''} placeholder={ds.title.en} onCommit={(v) => setTitle('en', v)} />
      </label>
      <FilterEditor l={l} ds={ds} />
      <LabelEditor l={l} ds={ds} />
    </div>
  );
}
