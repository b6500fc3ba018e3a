import { useEffect, useState } from 'react';
import { api } from '../app/api.ts';
import { columnTitle, type Dataset } from '../app/api-types.ts';
import { useStore } from '../app/store.ts';
import { pick, useT } from '../i18n/i18n.ts';
import { identifyResults, zoomToFeature, type IdentifyHit } from './identify.ts';
import { getMap } from './map-instance.ts';
import { setOverlay } from './overlays.ts';

function useIdentify(): { hits: IdentifyHit[] | null; at: { lon: number; lat: number } | null } {
  const [, tick] = useState(0);
  useEffect(() => {
    const l = () => tick((n) => n + 1);
    identifyResults.listeners.add(l);
    return () => void identifyResults.listeners.delete(l);
  }, []);
  return { hits: identifyResults.hits, at: identifyResults.at };
}

/** A value as a cell shows it. */
export function showValue(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Math.round(v * 1e6) / 1e6);
  return String(v);
}

/** Attributes of a feature, labelled with the dataset's column titles. */
export function AttributeList({ ds, properties }: { ds: Dataset | undefined; properties: Record<string, unknown> }) {
  const lang = useStore((s) => s.lang);
  const cols = ds?.columns ?? [];
  const keys = [...cols.map((c) => c.name).filter((n) => n in properties), ...Object.keys(properties).filter((k) => !cols.some((c) => c.name === k))];
  return (
    <table className="attrs">
      <tbody>
        {keys.map((k) => (
          <tr key={k}>
            <th>{((c) => (c ? columnTitle(c, lang) : k))(cols.find((c) => c.name === k))}</th>
            <td>{showValue(properties[k])}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The identify panel: the features of every visible layer under the last click. */
export function IdentifyPanel() {
  const t = useT();
  const lang = useStore((s) => s.lang);
  const datasets = useStore((s) => s.datasets);
  const { hits, at } = useIdentify();
  const [open, setOpen] = useState(0);
  const [full, setFull] = useState<Record<string, Record<string, unknown>>>({});
  useEffect(() => {
    setOpen(0);
    setFull({});
  }, [hits]);
  // Tiles carry only the attributes the style needs: the open feature is read whole from the API.
  const openHit = hits?.[open];
  useEffect(() => {
    if (!openHit || openHit.fid === null) return;
    const key = `${openHit.dataset}|${openHit.fid}`;
    let live = true;
    void api<GeoJSON.Feature>(`/collections/${openHit.dataset}/items/${encodeURIComponent(String(openHit.fid))}`)
      .then((f) => live && setFull((x) => ({ ...x, [key]: (f.properties ?? {}) as Record<string, unknown> })))
      .catch(() => {});
    return () => {
      live = false;
    };
  }, [openHit]);
  if (!hits) return null;
  const byId = new Map(datasets.map((d) => [d.id, d]));
  const close = () => {
    identifyResults.set(null, null);
    const m = getMap();
    if (m) setOverlay(m, 'yitu-highlight', []);
  };
  return (
    <div className="panel identify" data-testid="identify-panel">
      <div className="panel-head">
        <h2>{t('identify.title')}</h2>
        <span className="muted">{hits.length ? t('identify.count', { n: hits.length }) : ''}</span>
        <button type="button" className="icon" title={t('common.close')} onClick={close}>
          ✕
        </button>
      </div>
      {at && <p className="muted small">{`${at.lon.toFixed(5)}, ${at.lat.toFixed(5)}`}</p>}
      {!hits.length && <p className="muted">{t('identify.none')}</p>}
      <ul className="hits">
        {hits.map((h, i) => {
          const ds = byId.get(h.dataset);
          const key = `${h.dataset}|${h.fid}`;
          return (
            <li key={key + i} className={open === i ? 'open' : ''}>
              <button type="button" className="hit-title" onClick={() => setOpen(i)}>
                <strong>{ds ? pick(lang, ds.title) : h.dataset}</strong>
                <span className="muted"> {h.properties.point_count ? `(${showValue(h.properties.point_count)})` : `#${h.fid ?? '?'}`} {showValue(full[key]?.name ?? h.properties.name ?? '')}</span>
              </button>
              {open === i && (
                <>
                  <AttributeList ds={ds} properties={full[key] ?? h.properties} />
                  {h.fid !== null && (
                    <button
                      type="button"
                      className="link"
                      onClick={() => {
                        const m = getMap();
                        if (m) void zoomToFeature(m, h.dataset, h.fid!).then((f) => setFull((x) => ({ ...x, [key]: f.properties ?? {} })));
                      }}
                    >
                      {t('identify.zoom')}
                    </button>
                  )}
                </>
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
