import { useEffect, useState } from 'react';
import { api, qs } from '../app/api.ts';
import { columnTitle, type ItemsPage } from '../app/api-types.ts';
import { store, updateMapLayer, useStore } from '../app/store.ts';
import { pick, useT } from '../i18n/i18n.ts';
import { BarList } from '../hub/theme-chart.tsx';
import { RAMP_NAMES, rampColours, type RampName } from '../../../server/map/styles/palettes.ts';
import { CLASSIFY_METHODS, STYLE_KINDS, parseLayerStyle, type ClassifyMethod, type LayerStyle, type LayerStyleInput, type LayerStyleKind } from '../../../server/map/styles/spec.ts';

interface Classification {
  classes: number;
  breaks: number[];
  counts: number[];
}

/** Distinct values of a text field among the first 2,000 features, most frequent first (for categories). */
async function topValues(id: string, field: string): Promise<Array<string | number | boolean>> {
  const p = await api<ItemsPage>(`/collections/${id}/items${qs({ properties: field, limit: 2000, skipGeometry: 'true' })}`);
  const n = new Map<string, { v: string | number | boolean; c: number }>();
  for (const f of p.features) {
    const v = f.properties?.[field] as string | number | boolean | null | undefined;
    if (v === null || v === undefined) continue;
    const k = String(v);
    n.set(k, { v, c: (n.get(k)?.c ?? 0) + 1 });
  }
  return [...n.values()].sort((a, b) => b.c - a.c).slice(0, 12).map((x) => x.v);
}

/**
 * The style editor: kind, field, method, classes, ramp. For a dataset (`target` = its id) the style
 * is stored with PUT /collections/{id}/style (and remembered, so that a map saved from the
 * workspace carries it); for a layer of the open saved map (`target` = `ml:<layer id>`) it becomes
 * that layer's own spec, saved with the map.
 */
export function StyleEditor({ id: target }: { id: string }) {
  const t = useT();
  const lang = useStore((s) => s.lang);
  const mapLayerId = target.startsWith('ml:') ? target.slice(3) : null;
  const mapLayer = useStore((s) => (mapLayerId ? s.mapLayers.find((l) => l.id === mapLayerId) : undefined));
  const id = mapLayer ? mapLayer.dataset : target;
  const ds = useStore((s) => s.datasets.find((d) => d.id === id));
  const [style, setStyle] = useState<LayerStyle | null>(null);
  const [kind, setKind] = useState<LayerStyleKind>('simple');
  const [field, setField] = useState('');
  const [method, setMethod] = useState<ClassifyMethod>('quantile');
  const [classes, setClasses] = useState(5);
  const [ramp, setRamp] = useState<RampName>('yellow-red');
  const [colour, setColour] = useState('#3f6fb5');
  const [hist, setHist] = useState<Classification | null>(null);
  const [error, setError] = useState('');

  useEffect(() => {
    const own = mapLayer?.style ? parseLayerStyle(mapLayer.style) : null;
    (own?.ok ? Promise.resolve({ style: own.style }) : api<{ style: LayerStyle }>(`/collections/${id}/style`))
      .then((r) => {
        setStyle(r.style);
        setKind(r.style.kind);
        const s = r.style as Partial<{ field: string | null; heightField: string; method: ClassifyMethod; classes: number; ramp: RampName; symbol: { fill?: string } }>;
        setField(s.field ?? s.heightField ?? '');
        if (s.method) setMethod(s.method);
        if (s.classes) setClasses(s.classes);
        if (s.ramp) setRamp(s.ramp);
        if (s.symbol?.fill) setColour(s.symbol.fill);
      })
      .catch((e: Error) => setError(e.message.includes('404') || e.message.includes('Nothing at') ? t('style.unavailable') : e.message));
  }, [target]);

  const numeric = ds?.columns.filter((c) => c.type === 'integer' || c.type === 'number') ?? [];
  const texts = ds?.columns.filter((c) => c.type === 'text' || c.type === 'boolean' || c.type === 'integer') ?? [];
  const fields = kind === 'categories' ? texts : numeric;

  useEffect(() => {
    if (kind !== 'graduated' || !field) return setHist(null);
    void api<Classification>(`/collections/${id}/classify${qs({ field, method, classes })}`).then(setHist).catch(() => setHist(null));
  }, [id, kind, field, method, classes]);

  const apply = async () => {
    setError('');
    const common = { opacity: style?.opacity ?? 1, label: style?.label ?? null };
    let input: LayerStyleInput;
    if (kind === 'simple') input = { kind, ...common, symbol: { fill: colour, stroke: colour } };
    else if (kind === 'graduated') input = { kind, ...common, field, method, classes, ramp };
    else if (kind === 'proportional') input = { kind, ...common, field, symbol: { fill: colour } };
    else if (kind === 'heatmap') input = { kind, ...common, weightField: field || null };
    else if (kind === 'h3') input = { kind, ...common, ramp, classes, method };
    else if (kind === 'extrusion') input = { kind, ...common, heightField: field, multiplier: field === 'floors' ? 3 : 1 };
    else {
      const values = await topValues(id, field);
      const colours = rampColours('spectral', Math.max(3, values.length));
      input = { kind, ...common, field, items: values.map((value, i) => ({ value, colour: colours[i] })) };
    }
    const checked = parseLayerStyle(input);
    if (!checked.ok) return setError(checked.message);
    if (mapLayerId) {
      // The server checks it against the dataset when the layer is drawn (POST style.json) and when the map is saved.
      setStyle(checked.style);
      updateMapLayer(mapLayerId, { style: input });
      return;
    }
    try {
      const r = await api<{ style: LayerStyle }>(`/collections/${id}/style`, { method: 'PUT', json: input });
      setStyle(r.style);
      store.set((s) => ({ revision: { ...s.revision, [id]: (s.revision[id] ?? 0) + 1 }, editedStyles: { ...s.editedStyles, [id]: r.style } }));
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const reset = async () => {
    if (mapLayerId) return updateMapLayer(mapLayerId, { style: null });
    store.set((s) => ({ editedStyles: Object.fromEntries(Object.entries(s.editedStyles).filter(([k]) => k !== id)) }));
    await api(`/collections/${id}/style`, { method: 'DELETE' }).catch((e: Error) => setError(e.message));
    store.set((s) => ({ revision: { ...s.revision, [id]: (s.revision[id] ?? 0) + 1 } }));
  };
  return (
    <div className="panel style-editor" data-testid="style-editor">
      <div className="panel-head">
        <h2>
          {t('style.title')} · {(mapLayer && pick(lang, { zh: mapLayer.legendTitle?.zh ?? '', en: mapLayer.legendTitle?.en ?? '' })) || (ds ? pick(lang, ds.title) : id)}
        </h2>
        <button type="button" className="icon" title={t('common.close')} onClick={() => store.set({ styleEditor: null })}>
          ✕
        </button>
      </div>
      <div className="form-grid">
        <label>
          {t('style.kind')}
          <select value={kind} onChange={(e) => setKind(e.target.value as LayerStyleKind)}>
            {STYLE_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`style.kind.${k}`)}
              </option>
            ))}
          </select>
        </label>
        {kind !== 'simple' && kind !== 'h3' && (
          <label>
            {t('style.field')}
            <select value={field} onChange={(e) => setField(e.target.value)}>
              <option value="" />
              {fields.map((c) => (
                <option key={c.name} value={c.name}>
                  {columnTitle(c, lang)}
                </option>
              ))}
            </select>
          </label>
        )}
        {(kind === 'graduated' || kind === 'h3') && (
          <>
            <label>
              {t('style.method')}
              <select value={method} onChange={(e) => setMethod(e.target.value as ClassifyMethod)}>
                {CLASSIFY_METHODS.map((m) => (
                  <option key={m} value={m}>
                    {m}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t('style.classes')}
              <input type="number" min={3} max={9} value={classes} onChange={(e) => setClasses(Number(e.target.value))} />
            </label>
            <label>
              {t('style.ramp')}
              <select value={ramp} onChange={(e) => setRamp(e.target.value as RampName)}>
                {RAMP_NAMES.map((r) => (
                  <option key={r} value={r}>
                    {r}
                  </option>
                ))}
              </select>
            </label>
            <div className="ramp">
              {rampColours(ramp, classes).map((c) => (
                <span key={c} style={{ background: c }} />
              ))}
            </div>
          </>
        )}
        {(kind === 'simple' || kind === 'proportional') && (
          <label>
            {t('style.ramp')}
            <input type="color" value={colour} onChange={(e) => setColour(e.target.value)} />
          </label>
        )}
      </div>
      {hist && (
        <>
          <h3>{t('style.histogram')}</h3>
          <BarList
            labels={hist.counts.map((_, i) => `${hist.breaks[i].toFixed(1)}–${hist.breaks[i + 1].toFixed(1)}`)}
            values={hist.counts}
            colours={rampColours(ramp, hist.classes)}
            height={24 + hist.counts.length * 18}
          />
        </>
      )}
      {error && <p className="error">{error}</p>}
      <div className="form-actions">
        <button type="button" onClick={() => void reset()}>
          {t('style.reset')}
        </button>
        <button type="button" className="primary" onClick={() => void apply()}>
          {t('style.apply')}
        </button>
      </div>
    </div>
  );
}
