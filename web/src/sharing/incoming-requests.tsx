import { useEffect, useState } from 'react';
import { api, qs } from '../app/api.ts';
import { toast, useStore } from '../app/store.ts';
import { useT } from '../i18n/i18n.ts';
import { deptName, useDepartments } from '../access/departments.ts';
import { fmtTime } from '../access/format.ts';
import type { ShareRequest } from '../access/types.ts';
import { deciderName, GrantExpiry, requestTitle, StatusPill } from './request-status.tsx';

/** One incoming request with its decision controls: approve (optionally for fewer days, with a note) or refuse (a reason is required). */
function IncomingCard({ r, focused, onDecided }: { r: ShareRequest; focused: boolean; onDecided: () => void }) {
  const t = useT();
  const lang = useStore((s) => s.lang);
  const departments = useDepartments();
  const [mode, setMode] = useState<'approve' | 'refuse' | null>(null);
  const [days, setDays] = useState(r.days);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const decide = async () => {
    setBusy(true);
    setError(null);
    try {
      if (mode === 'approve') {
        await api(`/share-requests/${encodeURIComponent(r.id)}/approve`, { method: 'POST', json: { ...(reason.trim() ? { reason: reason.trim() } : {}), ...(days < r.days ? { days } : {}) } });
        toast(t('sharing.approved'));
      } else {
        await api(`/share-requests/${encodeURIComponent(r.id)}/refuse`, { method: 'POST', json: { reason: reason.trim() } });
        toast(t('sharing.refused'));
      }
      setMode(null);
      onDecided();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const daysValid = Number.isInteger(days) && days >= 1 && days <= r.days;
  return (
    <li className={`card ${focused ? 'focused' : ''}`} data-request={r.id} data-testid={`incoming-${r.datasetId}`}>
      <div className="card-head">
        <strong>{requestTitle(lang, r)}</strong>
        <StatusPill status={r.status} />
      </div>
      <p className="small">
        {t('sharing.asker', { name: r.requester.displayName || r.requester.username, dept: deptName(lang, departments, r.department) || '—' })} · {fmtTime(r.createdAt)} ·{' '}
        {t('sharing.days', { n: r.days })}
      </p>
      <blockquote className="purpose">{r.purpose}</blockquote>
      {r.decidedAt && (
        <p className="small muted">
          {deciderName(r)} · {fmtTime(r.decidedAt)} {r.decisionReason ? `· ${r.decisionReason}` : ''}
        </p>
      )}
      {r.grant && <GrantExpiry grant={r.grant} />}
      {r.status === 'pending' && !mode && (
        <div className="card-actions">
          <button type="button" className="primary" onClick={() => setMode('approve')} data-testid="approve">
            {t('sharing.approve')}
          </button>
          <button type="button" onClick={() => setMode('refuse')} data-testid="refuse">
            {t('sharing.refuse')}
          </button>
        </div>
      )}
      {mode && (
        <div className="decision form-stack">
          {mode === 'approve' && (
            <label>
              {t('sharing.approveDays', { n: r.days })}
              <span className="inline">
                <input type="number" min={1} max={r.days} value={days} onChange={(e) => setDays(Math.round(Number(e.target.value)))} data-testid="approve-days" />
                {t('sharing.daysUnit')}
              </span>
            </label>
          )}
          <label>
            {mode === 'approve' ? t('sharing.noteOptional') : t('sharing.refuseReason')}
            <textarea rows={2} maxLength={2000} value={reason} onChange={(e) => setReason(e.target.value)} data-testid="decision-reason-input" />
          </label>
          {error && <p className="error">{error}</p>}
          <div className="form-actions">
            <button type="button" onClick={() => setMode(null)}>
              {t('common.cancel')}
            </button>
            <button type="button" className="primary" disabled={busy || (mode === 'refuse' ? !reason.trim() : !daysValid)} onClick={() => void decide()} data-testid="decision-confirm">
              {mode === 'approve' ? t('sharing.approve') : t('sharing.refuse')}
            </button>
          </div>
        </div>
      )}
    </li>
  );
}

/** Requests for the data of the steward's department: pending first, then decided ones. */
export function IncomingRequests({ focus }: { focus?: string }) {
  const t = useT();
  // From a notification: every status, since the request may have been decided or withdrawn since.
  const [status, setStatus] = useState(focus ? '' : 'pending');
  const [list, setList] = useState<ShareRequest[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    api<{ requests: ShareRequest[] }>(`/share-requests${qs({ box: 'incoming', status })}`)
      .then((r) => (setList(r.requests), setError(null)))
      .catch((e: Error) => setError(e.message));
  }, [status, tick]);
  useEffect(() => {
    if (focus && list) document.querySelector(`[data-request="${CSS.escape(focus)}"]`)?.scrollIntoView({ block: 'center' });
  }, [focus, list]);
  return (
    <section className="sharing-section" data-testid="incoming-requests">
      <div className="toolbar-row">
        <select value={status} onChange={(e) => setStatus(e.target.value)} aria-label={t('access.status')}>
          <option value="pending">{t('sharing.status.pending')}</option>
          <option value="">{t('sharing.allStatuses')}</option>
          <option value="approved">{t('sharing.status.approved')}</option>
          <option value="refused">{t('sharing.status.refused')}</option>
        </select>
      </div>
      {error && <p className="error">{error}</p>}
      {list && !list.length && <p className="muted pad">{t('sharing.noIncoming')}</p>}
      <ul className="cards">
        {list?.map((r) => (
          <IncomingCard key={r.id} r={r} focused={r.id === focus} onDecided={() => setTick((n) => n + 1)} />
        ))}
      </ul>
    </section>
  );
}
