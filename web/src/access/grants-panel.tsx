import { useState, type FormEvent } from 'react';
import { api } from '../app/api.ts';
import { toast, useStore } from '../app/store.ts';
import { pick, useT } from '../i18n/i18n.ts';
import { GrantExpiry } from '../sharing/request-status.tsx';
import { deptName, useDepartments } from './departments.ts';
import { fmtTime } from './format.ts';
import type { Grant } from './types.ts';

/** Grants a dataset directly to a department or a user, for a number of days, with a reason. */
function GrantForm({ datasetId, ownDepartment, onDone }: { datasetId: string; ownDepartment: string | null; onDone: () => void }) {
  const t = useT();
  const lang = useStore((s) => s.lang);
  const departments = useDepartments();
  const [to, setTo] = useState<'department' | 'user'>('department');
  const [dept, setDept] = useState('');
  const [userId, setUserId] = useState('');
  const [days, setDays] = useState(90);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const valid = (to === 'department' ? !!dept : !!userId.trim()) && days >= 1 && days <= 366 && !!reason.trim();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api(`/datasets/${encodeURIComponent(datasetId)}/grants`, { method: 'POST', json: { ...(to === 'department' ? { department: dept } : { userId: userId.trim() }), days, reason: reason.trim() } });
      toast(t('grants.created'));
      setReason('');
      onDone();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="grant-form form-grid two" onSubmit={(e) => void submit(e)} data-testid="grant-form">
      <label>
        {t('grants.to')}
        <select value={to} onChange={(e) => setTo(e.target.value as 'department' | 'user')}>
          <option value="department">{t('grants.toDepartment')}</option>
          <option value="user">{t('grants.toUser')}</option>
        </select>
      </label>
      {to === 'department' ? (
        <label>
          {t('admin.department')}
          <select value={dept} onChange={(e) => setDept(e.target.value)} data-testid="grant-department">
            <option value="">—</option>
            {departments
              .filter((d) => d.id !== ownDepartment)
              .map((d) => (
                <option key={d.id} value={d.id}>
                  {pick(lang, d.name)}
                </option>
              ))}
          </select>
        </label>
      ) : (
        <label>
          {t('grants.userId')}
          <input value={userId} onChange={(e) => setUserId(e.target.value)} placeholder="00000000-0000-…" />
        </label>
      )}
      <label>
        {t('sharing.period')}
        <span className="inline">
          <input type="number" min={1} max={366} value={days} onChange={(e) => setDays(Math.round(Number(e.target.value)))} />
          {t('sharing.daysUnit')}
        </span>
      </label>
      <label>
        {t('grants.reason')}
        <input value={reason} maxLength={2000} onChange={(e) => setReason(e.target.value)} data-testid="grant-reason" />
      </label>
      {error && <p className="error span2">{error}</p>}
      <div className="form-actions span2">
        <button type="submit" className="primary" disabled={busy || !valid} data-testid="grant-create">
          {t('grants.create')}
        </button>
      </div>
    </form>
  );
}

/** A dataset's grants, active first, with expiry; revoke an active one; grant directly. */
export function GrantsPanel({ datasetId, ownDepartment, grants, error, onChanged }: { datasetId: string; ownDepartment: string | null; grants: Grant[] | null; error: string | null; onChanged: () => void }) {
  const t = useT();
  const lang = useStore((s) => s.lang);
  const departments = useDepartments();
  const [adding, setAdding] = useState(false);
  const revoke = async (g: Grant) => {
    if (!window.confirm(t('grants.revokeConfirm'))) return;
    await api(`/grants/${encodeURIComponent(g.id)}`, { method: 'DELETE' })
      .then(() => toast(t('grants.revoked')))
      .catch((e: Error) => toast(e.message));
    onChanged();
  };
  const order = { active: 0, expired: 1, revoked: 2 } as const;
  const sorted = [...(grants ?? [])].sort((a, b) => order[a.status] - order[b.status] || b.createdAt.localeCompare(a.createdAt));
  return (
    <div className="panel access-block" data-testid="grants-panel">
      <div className="block-head">
        <h3>{t('grants.title')}</h3>
        {grants && (
          <button type="button" onClick={() => setAdding(!adding)} data-testid="grant-new">
            {adding ? t('common.close') : t('grants.new')}
          </button>
        )}
      </div>
      {adding && (
        <GrantForm
          datasetId={datasetId}
          ownDepartment={ownDepartment}
          onDone={() => {
            setAdding(false);
            onChanged();
          }}
        />
      )}
      {error && <p className="muted small">{error}</p>}
      {grants && !grants.length && <p className="muted small">{t('grants.none')}</p>}
      {sorted.length > 0 && (
        <table className="grid data-table">
          <thead>
            <tr>
              <th>{t('grants.holder')}</th>
              <th>{t('grants.reason')}</th>
              <th>{t('grants.granted')}</th>
              <th>{t('access.status')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {sorted.map((g) => (
              <tr key={g.id} data-testid={`grant-${g.department ?? g.userId}`} data-status={g.status}>
                <td>{g.department ? deptName(lang, departments, g.department) : `${t('grants.user')} ${g.userId}`}</td>
                <td className="wrap">
                  {g.reason}
                  {g.requestId && <span className="muted small"> · {t('grants.fromRequest')}</span>}
                </td>
                <td>{fmtTime(g.createdAt)}</td>
                <td>
                  <GrantExpiry grant={g} />
                </td>
                <td>
                  {g.status === 'active' && (
                    <button type="button" className="small" onClick={() => void revoke(g)} data-testid="grant-revoke">
                      {t('grants.revoke')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
