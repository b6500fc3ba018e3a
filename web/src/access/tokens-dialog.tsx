import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../app/api.ts';
import { useT } from '../i18n/i18n.ts';
import { Modal, OnceSecret } from './modal.tsx';
import { fmtTime } from './format.ts';
import type { ApiTokenInfo } from './types.ts';

/** The signed-in user's API tokens: list, create (the secret shown once), revoke. */
export function TokensDialog({ onClose }: { onClose: () => void }) {
  const t = useT();
  const [tokens, setTokens] = useState<ApiTokenInfo[] | null>(null);
  const [name, setName] = useState('');
  const [days, setDays] = useState('90');
  const [issued, setIssued] = useState<{ name: string; token: string } | null>(null);
  const [error, setError] = useState<string | null>(null);

  const reload = () =>
    api<{ tokens: ApiTokenInfo[] }>('/auth/tokens')
      .then((r) => setTokens(r.tokens))
      .catch((e: Error) => setError(e.message));
  useEffect(() => void reload(), []);

  const create = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      const r = await api<{ id: string; name: string; token: string }>('/auth/tokens', { method: 'POST', json: { name: name.trim(), ...(days ? { days: Number(days) } : {}) } });
      setIssued({ name: r.name, token: r.token });
      setName('');
      await reload();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const revoke = async (tk: ApiTokenInfo) => {
    if (!window.confirm(t('tokens.revokeConfirm', { name: tk.name }))) return;
    await api(`/auth/tokens/${encodeURIComponent(tk.id)}`, { method: 'DELETE' }).catch((e: Error) => setError(e.message));
    await reload();
  };

  const state = (tk: ApiTokenInfo) => (tk.revokedAt ? t('tokens.revoked') : tk.expiresAt && tk.expiresAt < new Date().toISOString() ? t('tokens.expired') : t('tokens.active'));
  return (
    <Modal title={t('tokens.title')} onClose={onClose} testId="tokens-dialog" wide>
      <p className="muted small">{t('tokens.about')}</p>
      <form className="inline-form" onSubmit={(e) => void create(e)}>
        <input placeholder={t('tokens.name')} aria-label={t('tokens.name')} value={name} maxLength={100} onChange={(e) => setName(e.target.value)} data-testid="token-name" />
        <select value={days} onChange={(e) => setDays(e.target.value)} aria-label={t('tokens.validity')}>
          {['30', '90', '365'].map((d) => (
            <option key={d} value={d}>
              {t('tokens.days', { n: d })}
            </option>
          ))}
          <option value="">{t('tokens.noExpiry')}</option>
        </select>
        <button type="submit" className="primary" disabled={!name.trim()} data-testid="token-create">
          {t('tokens.create')}
        </button>
      </form>
      {issued && <OnceSecret label={t('tokens.issued', { name: issued.name })} value={issued.token} testId="token-secret" />}
      {error && <p className="error">{error}</p>}
      {tokens === null ? (
        <p className="muted">{t('common.loading')}</p>
      ) : tokens.length === 0 ? (
        <p className="muted">{t('tokens.none')}</p>
      ) : (
        <table className="grid data-table">
          <thead>
            <tr>
              <th>{t('tokens.name')}</th>
              <th>{t('tokens.created')}</th>
              <th>{t('tokens.expires')}</th>
              <th>{t('tokens.lastUsed')}</th>
              <th>{t('access.status')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {tokens.map((tk) => (
              <tr key={tk.id}>
                <td>{tk.name}</td>
                <td>{fmtTime(tk.createdAt)}</td>
                <td>{tk.expiresAt ? fmtTime(tk.expiresAt) : t('tokens.never')}</td>
                <td>{tk.lastUsedAt ? fmtTime(tk.lastUsedAt) : '—'}</td>
                <td>{state(tk)}</td>
                <td>
                  {!tk.revokedAt && (
                    <button type="button" className="small" onClick={() => void revoke(tk)}>
                      {t('tokens.revoke')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Modal>
  );
}
