import { Fragment, useEffect, useState } from 'react';
import { api, qs } from '../app/api.ts';
import { useStore } from '../app/store.ts';
import { pick, useT } from '../i18n/i18n.ts';
import { deptName, useDepartments } from '../access/departments.ts';
import { fmtTime } from '../access/format.ts';
import { Pager } from '../access/pager.tsx';
import type { AuditEvent } from '../access/types.ts';

/** The audit actions (scratch/access-contract.md), for the action filter. */
export const AUDIT_ACTIONS = [
  'auth.sign_in', 'auth.sign_in_failed', 'auth.locked', 'auth.sign_out', 'auth.password_change',
  'token.create', 'token.revoke', 'user.create', 'user.update', 'user.password_reset', 'department.create', 'department.update',
  'dataset.read', 'features.read', 'tiles.read', 'dataset.export', 'dataset.versions', 'dataset.diff', 'stats.read',
  'dataset.import', 'dataset.metadata', 'dataset.classification', 'features.edit', 'dataset.rollback', 'dataset.remove', 'style.update',
  'map.create', 'map.update', 'map.delete',
  'share.request', 'share.approve', 'share.refuse', 'share.withdraw', 'grant.create', 'grant.revoke', 'audit.export',
] as const;

const PAGE = 50;

/** Filters of the audit trail, as the query string of `/audit/events`. */
interface AuditFilter {
  actor: string;
  department: string;
  dataset: string;
  action: string;
  from: string;
  to: string;
}

const EMPTY: AuditFilter = { actor: '', department: '', dataset: '', action: '', from: '', to: '' };

/** The query of a filter: dates are whole days in the browser's time zone (`to` includes its day). */
function query(f: AuditFilter): Record<string, string> {
  const day = (d: string, end: boolean) => (d ? new Date(`${d}T00:00:00`).getTime() + (end ? 86_400_000 : 0) : NaN);
  const from = day(f.from, false);
  const to = day(f.to, true);
  return {
    actor: f.actor.trim(),
    department: f.department,
    dataset: f.dataset.trim(),
    action: f.action,
    from: Number.isFinite(from) ? new Date(from).toISOString() : '',
    to: Number.isFinite(to) ? new Date(to).toISOString() : '',
  };
}

/** The audit viewer: who did what, when, from where, with how many features; filters, pages, CSV export. */
export function AuditPage() {
  const t = useT();
  const lang = useStore((s) => s.lang);
  const session = useStore((s) => s.session);
  const datasets = useStore((s) => s.datasets);
  const departments = useDepartments();
  const [draft, setDraft] = useState<AuditFilter>(EMPTY);
  const [filter, setFilter] = useState<AuditFilter>(EMPTY);
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<{ events: AuditEvent[]; total: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<number | null>(null);

  useEffect(() => {
    let live = true;
    api<{ events: AuditEvent[]; total: number }>(`/audit/events${qs({ ...query(filter), limit: PAGE, offset })}`)
      .then((r) => live && (setPage(r), setError(null)))
      .catch((e: Error) => live && setError(e.message));
    return () => {
      live = false;
    };
  }, [filter, offset]);

  if (!session?.authenticated || !session.permissions.readAudit) return <p className="panel page-message">{t('audit.notAllowed')}</p>;
  const set = (k: keyof AuditFilter, v: string) => setDraft((d) => ({ ...d, [k]: v }));
  const apply = () => (setOffset(0), setFilter(draft));
  const title = (id: string | null) => {
    const d = id ? datasets.find((x) => x.id === id) : null;
    return d ? pick(lang, d.title) : (id ?? '');
  };
  return (
    <div className="page" data-testid="audit-page">
      <div className="panel page-panel">
        <div className="panel-head">
          <h2>{t('audit.title')}</h2>
          <a className="button-like" href={`/audit/events.csv${qs(query(filter))}`} download data-testid="audit-csv">
            {t('audit.csv')}
          </a>
        </div>
        <form
          className="toolbar-row wrap-row"
          onSubmit={(e) => {
            e.preventDefault();
            apply();
          }}
        >
          <input placeholder={t('audit.person')} aria-label={t('audit.person')} value={draft.actor} onChange={(e) => set('actor', e.target.value)} data-testid="audit-actor" />
          <select value={draft.department} onChange={(e) => set('department', e.target.value)} aria-label={t('admin.department')}>
            <option value="">{t('catalog.allDepartments')}</option>
            {departments.map((d) => (
              <option key={d.id} value={d.id}>
                {pick(lang, d.name)}
              </option>
            ))}
          </select>
          <input list="audit-datasets" placeholder={t('audit.dataset')} aria-label={t('audit.dataset')} value={draft.dataset} onChange={(e) => set('dataset', e.target.value)} data-testid="audit-dataset" />
          <datalist id="audit-datasets">
            {datasets.map((d) => (
              <option key={d.id} value={d.id}>
                {pick(lang, d.title)}
              </option>
            ))}
          </datalist>
          <select value={draft.action} onChange={(e) => set('action', e.target.value)} aria-label={t('audit.action')} data-testid="audit-action">
            <option value="">{t('audit.allActions')}</option>
            {AUDIT_ACTIONS.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
          <label className="inline small">
            {t('audit.from')}
            <input type="date" value={draft.from} onChange={(e) => set('from', e.target.value)} />
          </label>
          <label className="inline small">
            {t('audit.to')}
            <input type="date" value={draft.to} onChange={(e) => set('to', e.target.value)} />
          </label>
          <button type="submit" className="primary" data-testid="audit-apply">
            {t('table.apply')}
          </button>
          <button type="button" onClick={() => (setDraft(EMPTY), setOffset(0), setFilter(EMPTY))}>
            {t('table.clear')}
          </button>
        </form>
        {error && <p className="error pad">{error}</p>}
        <div className="table-scroll">
          <table className="grid data-table" data-testid="audit-table">
            <thead>
              <tr>
                <th>{t('audit.at')}</th>
                <th>{t('audit.person')}</th>
                <th>{t('admin.department')}</th>
                <th>{t('audit.action')}</th>
                <th>{t('audit.outcome')}</th>
                <th>{t('audit.dataset')}</th>
                <th>{t('audit.features')}</th>
                <th>{t('audit.requests')}</th>
                <th>{t('audit.from_ip')}</th>
              </tr>
            </thead>
            <tbody>
              {page?.events.map((e) => (
                <Fragment key={e.id}>
                  <tr onClick={() => setOpen(open === e.id ? null : e.id)} className={open === e.id ? 'selected' : ''} data-testid="audit-row" data-action={e.action}>
                    <td>{fmtTime(e.at)}</td>
                    <td>
                      {e.actorName ? (
                        <button
                          type="button"
                          className="link"
                          title={t('audit.onlyPerson')}
                          onClick={(ev) => {
                            ev.stopPropagation();
                            const f = { ...draft, actor: e.actorName };
                            setDraft(f);
                            setOffset(0);
                            setFilter(f);
                          }}
                        >
                          {e.actorName}
                        </button>
                      ) : (
                        t('audit.anonymous')
                      )}
                    </td>
                    <td>{deptName(lang, departments, e.department)}</td>
                    <td>
                      <code>{e.action}</code>
                    </td>
                    <td>
                      <span className={`pill ${e.outcome === 'success' ? 'good' : 'bad'}`}>{t(`audit.outcome.${e.outcome}`)}</span>
                    </td>
                    <td title={e.datasetId ?? ''}>
                      {title(e.datasetId)}
                      {e.classification ? <span className="muted small"> · {t(`class.${e.classification as 'public'}`)}</span> : null}
                    </td>
                    <td>{e.featureCount ?? ''}</td>
                    <td>{e.requests > 1 ? e.requests : ''}</td>
                    <td>{e.ip}</td>
                  </tr>
                  {open === e.id && (
                    <tr className="details-row">
                      <td colSpan={9}>
                        <pre>{JSON.stringify({ target: e.targetType ? `${e.targetType}:${e.targetId}` : undefined, userAgent: e.userAgent, details: e.details }, null, 2)}</pre>
                      </td>
                    </tr>
                  )}
                </Fragment>
              ))}
            </tbody>
          </table>
          {page && !page.events.length && <p className="muted pad">{t('audit.none')}</p>}
        </div>
        {page && <Pager offset={offset} limit={PAGE} total={page.total} onChange={setOffset} />}
      </div>
    </div>
  );
}
