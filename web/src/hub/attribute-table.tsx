import { useEffect, useState } from 'react';
import { api, qs } from '../app/api.ts';
import { columnTitle, type ItemsPage } from '../app/api-types.ts';
import { store, useStore } from '../app/store.ts';
import { fmtNumber, pick, useT } from '../i18n/i18n.ts';
import { zoomToFeature } from '../map/identify.ts';
import { showValue } from '../map/identify-panel.tsx';
import { getMap } from '../map/map-instance.ts';
import { Cql2Builder } from './cql2-builder.tsx';

const PAGE = 50;

/** Shows only the features matching `filter` of a dataset on the map (null: all of them again). */
function setMapFilter(id: string, filter: string | null): void {
  store.set((s) => {
    const mapFilters = { ...s.mapFilters };
    if (filter === null) delete mapFilters[id];
    else mapFilters[id] = filter;
    return { mapFilters };
  });
}

/** The attribute table of a dataset: paged (limit/offset), sorted (sortby), filtered (CQL2); a row zooms to its feature. */
export function AttributeTable({ id }: { id: string }) {
  const t = useT();
  const lang = useStore((s) => s.lang);
  const ds = useStore((s) => s.datasets.find((d) => d.id === id));
  const selection = useStore((s) => s.selection);
  const [offset, setOffset] = useState(0);
  const [sort, setSort] = useState<{ field: string; desc: boolean } | null>(null);
  const [filter, setFilter] = useState('');
  const [page, setPage] = useState<ItemsPage | null>(null);
  const [error, setError] = useState('');
  const [loading, setLoading] = useState(false);
  const onMap = useStore((s) => s.mapFilters[id] !== undefined);

  useEffect(() => {
    setOffset(0);
    setSort(null);
    setFilter('');
  }, [id]);

  useEffect(() => {
    let live = true;
    setLoading(true);
    const url = `/collections/${id}/items${qs({ limit: PAGE, offset, sortby: sort ? `${sort.desc ? '-' : '+'}${sort.field}` : undefined, filter: filter || undefined, skipGeometry: 'true' })}`;
    api<ItemsPage>(url)
      .then((p) => {
        if (!live) return;
        setPage(p);
        setError('');
      })
      .catch((e: Error) => live && setError(e.message))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [id, offset, sort, filter]);

  if (!ds) return null;
  const total = page?.numberMatched;
  const pages = total !== undefined ? Math.max(1, Math.ceil(total / PAGE)) : undefined;
  const spatial = ds.kind === 'features';
  return (
    <section className="panel table-panel" data-testid="attribute-table">
      <div className="panel-head">
        <h2>
          {t('table.title')} · {pick(lang, ds.title)}
        </h2>
        <span className="muted" data-testid="table-count">
          {total !== undefined ? t(page?.numberMatchedEstimated ? 'table.rowsEstimated' : 'table.rows', { n: fmtNumber(lang, total) }) : ''}
        </span>
        <button type="button" className="icon" title={t('table.close')} onClick={() => store.set({ table: null })}>
          ✕
        </button>
      </div>
      <Cql2Builder
        ds={ds}
        lang={lang}
        onApply={(f) => {
          setOffset(0);
          setFilter(f);
          if (onMap) setMapFilter(id, f);
        }}
      />
      {ds.kind === 'features' && (
        <label className="on-map small">
          <input type="checkbox" data-testid="filter-on-map" checked={onMap} onChange={(e) => setMapFilter(id, e.target.checked ? filter : null)} />
          {t('table.filterOnMap')}
        </label>
      )}
      {error && <p className="error">{error}</p>}
      <div className="table-scroll">
        <table className="grid">
          <thead>
            <tr>
              <th>#</th>
              {ds.columns.map((c) => (
                <th key={c.name} onClick={() => setSort((s) => (s?.field === c.name ? (s.desc ? null : { field: c.name, desc: true }) : { field: c.name, desc: false }))} className="sortable">
                  {columnTitle(c, lang)}
                  {sort?.field === c.name ? (sort.desc ? ' ▼' : ' ▲') : ''}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {page?.features.map((f) => (
              <tr
                key={String(f.id)}
                className={selection?.dataset === id && String(selection.fid) === String(f.id) ? 'selected' : ''}
                onClick={() => {
                  const m = getMap();
                  if (spatial && m) void zoomToFeature(m, id, f.id).catch((e: Error) => setError(e.message));
                  else store.set({ selection: { dataset: id, fid: f.id } });
                }}
              >
                <td className="muted">{String(f.id)}</td>
                {ds.columns.map((c) => (
                  <td key={c.name}>{showValue(f.properties?.[c.name])}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
        {page && !page.features.length && <p className="muted">{t('table.empty')}</p>}
      </div>
      <div className="pager">
        <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
          {t('table.prev')}
        </button>
        <span>{pages ? t('table.page', { p: Math.floor(offset / PAGE) + 1, n: pages }) : ''}</span>
        <button type="button" disabled={!page || page.numberReturned < PAGE || (total !== undefined && offset + PAGE >= total)} onClick={() => setOffset(offset + PAGE)}>
          {t('table.next')}
        </button>
        {loading && <span className="muted">{t('table.loading')}</span>}
      </div>
    </section>
  );
}
