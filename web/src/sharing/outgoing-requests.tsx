import { useEffect, useState } from 'react';
import { api, qs } from '../app/api.ts';
import { refreshCatalog } from '../app/boot.ts';
import { showLayer, store, useStore } from '../app/store.ts';
import { useT } from '../i18n/i18n.ts';
import { fmtTime } from '../access/format.ts';
import type { ShareRequest } from '../access/types.ts';
import { deciderName, GrantExpiry, requestTitle, StatusPill } from './request-status.tsx';

/** The requests the caller (and their department) made: status, decision and reason, the grant's expiry; withdraw a pending one. */
export function OutgoingRequests({ focus }: { focus?: string }) {
  const t = useT();
  const lang = useStore((s) => s.lang);
  const [list, setList] = useState<ShareRequest[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    api<{ requests: ShareRequest[] }>(`/share-requests${qs({ box: 'outgoing' })}`)
      .then((r) => (setList(r.requests), setError(null)))
      .catch((e: Error) => setError(e.message));
  }, [tick]);
  useEffect(() => {
    if (focus && list) document.querySelector(`[data-request="${CSS.escape(focus)}"]`)?.scrollIntoView({ block: 'center' });
  }, [focus, list]);

  const withdraw = async (r: ShareRequest) => {
    if (!window.confirm(t('sharing.withdrawConfirm', { name: requestTitle(lang, r) }))) return;
    await api(`/share-requests/${encodeURIComponent(r.id)}/withdraw`, { method: 'POST' }).catch((e: Error) => setError(e.message));
    setTick((n) => n + 1);
  };
  const open = async (id: string) => {
    await refreshCatalog();
    showLayer(id);
    store.set({ view: 'map' });
  };

  if (error) return <p className="error pad">{error}</p>;
  if (!list) return <p className="muted pad">{t('common.loading')}</p>;
  if (!list.length) return <p className="muted pad">{t('sharing.noOutgoing')}</p>;
  return (
    <div className="table-scroll" data-testid="outgoing-requests">
      <table className="grid data-table">
        <thead>
          <tr>
            <th>{t('sharing.dataset')}</th>
            <th>{t('sharing.askedAt')}</th>
            <th>{t('sharing.purpose')}</th>
            <th>{t('sharing.period')}</th>
            <th>{t('access.status')}</th>
            <th>{t('sharing.decision')}</th>
            <th>{t('sharing.grant')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {list.map((r) => (
            <tr key={r.id} data-request={r.id} className={r.id === focus ? 'selected' : ''} data-testid={`outgoing-${r.datasetId}`}>
              <td>{requestTitle(lang, r)}</td>
              <td>{fmtTime(r.createdAt)}</td>
              <td className="wrap">{r.purpose}</td>
              <td>{t('sharing.days', { n: r.days })}</td>
              <td>
                <StatusPill status={r.status} />
              </td>
              <td className="wrap">
                {r.decidedAt ? (
                  <>
                    <span className="muted small">
                      {deciderName(r)} · {fmtTime(r.decidedAt)}
                    </span>
                    {r.decisionReason && <div data-testid="decision-reason">{r.decisionReason}</div>}
                  </>
                ) : (
                  '—'
                )}
              </td>
              <td>
                <GrantExpiry grant={r.grant} />
              </td>
              <td>
                {r.status === 'pending' && (
                  <button type="button" className="small" onClick={() => void withdraw(r)}>
                    {t('sharing.withdraw')}
                  </button>
                )}
                {r.grant?.status === 'active' && (
                  <button type="button" className="small" onClick={() => void open(r.datasetId)} data-testid={`open-granted-${r.datasetId}`}>
                    {t('catalog.addToMap')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
