import { useEffect, useState } from 'react';
import { api } from '../app/api.ts';
import { columnTitle, type Dataset, type DatasetVersion } from '../app/api-types.ts';
import { showLayer, store, useStore } from '../app/store.ts';
import { addDatasetToMap } from '../maps/map-edit.ts';
import { fmtNumber, pick, useT } from '../i18n/i18n.ts';
import { departmentName } from './departments.ts';
import { hasRole, isAdministrator } from '../access/types.ts';
import { PreviewMap } from './preview-map.tsx';

/** Export formats of `/datasets/{id}/export` (server/hub/export.ts). */
const EXPORTS = [
  ['geojson', 'GeoJSON'],
  ['csv', 'CSV'],
  ['gpkg', 'GeoPackage'],
  ['shp', 'Shapefile'],
] as const;

/** A catalog entry: metadata, fields, versions, preview map, exports and actions. */
export function DatasetDetail({ ds }: { ds: Dataset }) {
  const t = useT();
  const lang = useStore((s) => s.lang);
  const mapOpen = useStore((s) => !!s.openMap);
  // The access page is for those who manage the dataset's access: its department's stewards and administrators.
  const manages = useStore((s) => isAdministrator(s.session) || (hasRole(s.session, 'data_steward') && s.session?.authenticated === true && s.session.user.department === ds.department));
  const [versions, setVersions] = useState<DatasetVersion[]>([]);
  const stats = ds.kind === 'statistics';
  useEffect(() => {
    setVersions([]);
    if (!stats) void api<{ versions: DatasetVersion[] }>(`/datasets/${ds.id}/versions`).then((r) => setVersions(r.versions)).catch(() => {});
  }, [ds.id, stats]);
  const rows: Array<[string, string]> = [
    [t('catalog.theme'), t(`theme.${ds.theme}`)],
    [t('catalog.department'), departmentName(lang, ds.department)],
    [t('catalog.geometry'), ds.geometryType ?? '—'],
    [t('catalog.features'), fmtNumber(lang, ds.featureCount)],
    [t('catalog.version'), String(ds.currentVersion)],
    [t('catalog.updated'), ds.updatedAt.slice(0, 16).replace('T', ' ')],
    [t('catalog.classification'), t(`class.${ds.classification}`)],
    [t('catalog.licence'), ds.licence],
    [t('catalog.source'), ds.source],
    [t('catalog.keywords'), ds.keywords.join('、')],
    [t('catalog.usage'), String(ds.usageCount)],
  ];
  return (
    <div className="detail" data-testid="dataset-detail">
      <div className="panel detail-main">
        <div className="detail-head">
          <div>
            <h2>{pick(lang, ds.title)}</h2>
            <p className="muted small">
              {ds.id} · {lang === 'zh' ? ds.title.en : ds.title.zh}
            </p>
          </div>
          <div className="actions">
            {ds.kind === 'features' && (
              <button
                type="button"
                className="primary"
                data-testid="add-to-map"
                onClick={() => {
                  // With a saved map open, the dataset becomes a layer of that map (saved with “save changes”).
                  if (!addDatasetToMap(ds.id)) showLayer(ds.id);
                  store.set({ view: 'map' });
                }}
              >
                {mapOpen ? t('maps.addLayer') : t('catalog.addToMap')}
              </button>
            )}
            {!stats && (
              <button type="button" onClick={() => store.set({ table: ds.id, view: 'map' })}>
                {t('catalog.openTable')}
              </button>
            )}
            {manages && (
              <button type="button" data-testid="open-access" onClick={() => store.set({ catalogPick: ds.id, view: 'access' })}>
                {t('access.open')}
              </button>
            )}
          </div>
        </div>
        <p>{pick(lang, ds.description)}</p>
        <table className="attrs meta">
          <tbody>
            {rows.map(([k, v]) => (
              <tr key={k}>
                <th>{k}</th>
                <td>{v}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <h3>{t('catalog.export')}</h3>
        <div className="exports">
          {stats ? (
            <a href={`/stats/${ds.id}/export`} download>
              CSV
            </a>
          ) : (
            EXPORTS.map(([f, label]) => (
              <a key={f} href={`/datasets/${ds.id}/export?format=${f}`} download>
                {label}
              </a>
            ))
          )}
          {!stats && <a href={`/collections/${ds.id}/items?limit=100`}>OGC API</a>}
        </div>
        <h3>{t('catalog.columns')}</h3>
        <div className="columns">
          {ds.columns.map((c) => (
            <span key={c.name} className="chip" title={c.title === c.name ? c.name : `${c.name} · ${c.title}`}>
              {columnTitle(c, lang)} <em>{c.type}</em>
            </span>
          ))}
        </div>
      </div>
      <div className="detail-side">
        {ds.kind === 'features' && (
          <div className="panel">
            <h3>{t('catalog.preview')}</h3>
            <PreviewMap ds={ds} />
          </div>
        )}
        {!stats && (
          <div className="panel">
            <h3>{t('catalog.versions')}</h3>
            <ul className="versions">
              {versions.map((v) => (
                <li key={v.version}>
                  <strong>v{v.version}</strong> <span className="muted">{v.createdAt.slice(0, 16).replace('T', ' ')}</span> {v.mode} · {fmtNumber(lang, v.featureCount)}
                  {v.added || v.removed || v.changed ? <span className="muted"> (+{v.added} −{v.removed} ~{v.changed})</span> : null}
                  {v.message ? <div className="muted small">{v.message}</div> : null}
                </li>
              ))}
            </ul>
          </div>
        )}
      </div>
    </div>
  );
}
