import { useState, type FormEvent } from 'react';
import { api } from '../app/api.ts';
import { toast, useStore } from '../app/store.ts';
import { pick, useT } from '../i18n/i18n.ts';
import { Modal } from '../access/modal.tsx';
import type { ShareRequest, SharingEntry } from '../access/types.ts';

/** Asks a department for one of its datasets: the purpose (10–2000 characters) and the period in days (1–366). */
export function RequestForm({ entry, onDone }: { entry: SharingEntry; onDone: (r: ShareRequest | null) => void }) {
  const t = useT();
  const lang = useStore((s) => s.lang);
  const [purpose, setPurpose] = useState('');
  const [days, setDays] = useState(90);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const len = [...purpose.trim()].length;
  const valid = len >= 10 && len <= 2000 && Number.isInteger(days) && days >= 1 && days <= 366;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!valid) return;
    setBusy(true);
    setError(null);
    try {
      const r = await api<ShareRequest>(`/datasets/${encodeURIComponent(entry.id)}/share-requests`, { method: 'POST', json: { purpose: purpose.trim(), days } });
      toast(t('sharing.sent'));
      onDone(r);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal title={t('sharing.askTitle', { name: pick(lang, entry.title) })} onClose={() => onDone(null)} testId="request-form">
      <form className="form-stack" onSubmit={(e) => void submit(e)}>
        <p className="muted small">{t('sharing.askAbout')}</p>
        <label>
          {t('sharing.purpose')}
          <textarea rows={4} maxLength={2000} value={purpose} placeholder={t('sharing.purposeHint')} onChange={(e) => setPurpose(e.target.value)} data-testid="request-purpose" />
          <span className={`small ${len > 0 && len < 10 ? 'error' : 'muted'}`}>{t('sharing.purposeLength', { n: len })}</span>
        </label>
        <label>
          {t('sharing.period')}
          <span className="inline">
            <input type="number" min={1} max={366} value={days} onChange={(e) => setDays(Math.round(Number(e.target.value)))} data-testid="request-days" />
            {t('sharing.daysUnit')}
          </span>
        </label>
        {error && <p className="error">{error}</p>}
        <div className="form-actions">
          <button type="button" onClick={() => onDone(null)}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="primary" disabled={busy || !valid} data-testid="request-send">
            {t('sharing.send')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
