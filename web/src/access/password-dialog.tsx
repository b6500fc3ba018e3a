import { useState, type FormEvent } from 'react';
import { ApiError } from '../app/api.ts';
import { toast } from '../app/store.ts';
import { useT } from '../i18n/i18n.ts';
import { Modal } from './modal.tsx';
import { changePassword, signOut } from './session.ts';

/**
 * Changes the signed-in user's password. `forced` (the account must change its password: new, or
 * reset by an administrator) cannot be dismissed; signing out is the only other way.
 */
export function PasswordDialog({ forced, onClose }: { forced: boolean; onClose: () => void }) {
  const t = useT();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const mismatch = again !== '' && next !== again;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (mismatch || !current || !next) return;
    setBusy(true);
    setError(null);
    try {
      await changePassword(current, next);
      toast(t('auth.passwordChanged'));
      onClose();
    } catch (err) {
      setError(err instanceof ApiError && (err.code === 'YITU_ERR_SIGN_IN_FAILED' || err.code === 'YITU_ERR_FORBIDDEN') ? t('auth.currentWrong') : (err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal title={t('auth.changePassword')} onClose={forced ? undefined : onClose} testId="password-dialog">
      <form className="form-stack" onSubmit={(e) => void submit(e)}>
        {forced && <p className="notice">{t('auth.mustChange')}</p>}
        <label>
          {t('auth.currentPassword')}
          <input type="password" autoComplete="current-password" data-testid="password-current" value={current} onChange={(e) => setCurrent(e.target.value)} />
        </label>
        <label>
          {t('auth.newPassword')}
          <input type="password" autoComplete="new-password" data-testid="password-new" value={next} onChange={(e) => setNext(e.target.value)} />
        </label>
        <label>
          {t('auth.repeatPassword')}
          <input type="password" autoComplete="new-password" data-testid="password-again" value={again} onChange={(e) => setAgain(e.target.value)} />
        </label>
        <p className="muted small">{t('auth.passwordRules')}</p>
        {mismatch && <p className="error">{t('auth.mismatch')}</p>}
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <div className="form-actions">
          {forced ? (
            <button type="button" onClick={() => void signOut()}>
              {t('auth.signOut')}
            </button>
          ) : (
            <button type="button" onClick={onClose}>
              {t('common.cancel')}
            </button>
          )}
          <button type="submit" className="primary" data-testid="password-save" disabled={busy || mismatch || !current || !next || !again}>
            {t('auth.changePassword')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
