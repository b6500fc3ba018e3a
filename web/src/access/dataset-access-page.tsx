import { useEffect, useState } from 'react';
import { api } from '../app/api.ts';
import type { Dataset } from '../app/api-types.ts';
import { refreshCatalog } from '../app/boot.ts';
import { store, useStore } from '../app/store.ts';
import { pick, useT } from '../i18n/i18n.ts';
import { ClassificationPanel } from './classification-panel.tsx';
import { deptName, useDepartments } from './departments.ts';
import { GrantsPanel } from './grants-panel.tsx';
import { hasRole, isAdministrator, type Grant } from './types.ts';
import { UsagePanel } from './usage-panel.tsx';

/** A dataset as the server answers when access control is on: what the caller may do with it. */
type DatasetWithAccess = Dataset & { access?: { read: boolean; write: boolean; grant: boolean } };

/**
 * A dataset's access page (from the catalog's detail): classification and shareable (stewards and
 * administrators change them), grants (active, expired, revoked; grant, revoke), usage figures.
 */
export function DatasetAccessPage() {
  const t = useT();
  const lang = useStore((s) => s.lang);
  const id = useStore((s) => s.catalogPick);
  const session = useStore((s) => s.session);
  const departments = useDepartments();
  const [ds, setDs] = useState<DatasetWithAccess | null>(null);
  const [grants, setGrants] = useState<Grant[] | null>(null);
  const [grantsError, setGrantsError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    if (!id) return;
    let live = true;
    api<DatasetWithAccess>(`/datasets/${encodeURIComponent(id)}`)
      .then((d) => live && (setDs(d), setError(null)))
      .catch((e: Error) => live && setError(e.message));
    api<{ grants: Grant[] }>(`/datasets/${encodeURIComponent(id)}/grants`)
      .then((r) => live && (setGrants(r.grants), setGrantsError(null)))
      .catch((e: Error) => live && (setGrants(null), setGrantsError(e.message)));
    return () => {
      live = false;
    };
  }, [id, tick, session]);

  if (!id) return <p className="panel page-message">{t('catalog.select')}</p>;
  if (error) return <p className="panel page-message error">{error}</p>;
  if (!ds) return <p className="panel page-message muted">{t('common.loading')}</p>;
  const steward = isAdministrator(session) || (hasRole(session, 'data_steward') && session?.authenticated && session.user.department === ds.department);
  const canWrite = ds.access?.write ?? !!steward;
  const active = grants?.filter((g) => g.status === 'active').length ?? 0;
  const changed = () => {
    setTick((n) => n + 1);
    void refreshCatalog();
  };
  return (
    <div className="page" data-testid="access-page">
      <div className="access-page">
        <div className="panel access-head">
          <button type="button" className="link" onClick={() => store.set({ view: 'catalog' })}>
            ← {t('nav.catalog')}
          </button>
          <h2>{t('access.pageTitle', { name: pick(lang, ds.title) })}</h2>
          <p className="muted small">
            {ds.id} · {deptName(lang, departments, ds.department) || t('access.noDepartment')} · {t(`class.${ds.classification}`)}
          </p>
        </div>
        <div className="access-grid">
          <div className="access-col">
            <ClassificationPanel ds={ds} canWrite={canWrite} grants={active} onChanged={changed} />
            <GrantsPanel datasetId={ds.id} ownDepartment={ds.department} grants={grants} error={grantsError} onChanged={changed} />
          </div>
          <div className="access-col">
            <UsagePanel datasetId={ds.id} />
          </div>
        </div>
      </div>
    </div>
  );
}
