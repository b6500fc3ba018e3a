import { useState, type FormEvent } from 'react';
import { ApiError } from '../app/api.ts';
import { store, useStore } from '../app/store.ts';
import { useT, type MessageKey } from '../i18n/i18n.ts';
import { signIn } from './session.ts';

/** The message for a failed sign-in: one wording for every wrong user name or password, so nothing tells which part was wrong. */
function failureKey(e: unknown): MessageKey | null {
  if (!(e instanceof ApiError)) return null;
  if (e.code === 'YITU_ERR_SIGN_IN_LOCKED') return 'auth.locked';
  if (e.code === 'YITU_ERR_RATE_LIMITED' || e.status === 429) return 'auth.rateLimited';
  if (e.code === 'YITU_ERR_SIGN_IN_FAILED' || e.status === 401) return 'auth.failed';
  return null;
}

/** The sign-in page: user name and password; back to where the person was once signed in. */
export function SignInPage() {
  const t = useT();
  const notice = useStore((s) => s.signInNotice);
  const session = useStore((s) => s.session);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!username.trim() || !password) return;
    setBusy(true);
    setError(null);
    try {
      await signIn(username.trim(), password);
      store.set((s) => ({ view: s.afterSignIn === 'signin' ? 'map' : s.afterSignIn, signInNotice: null }));
    } catch (err) {
      const key = failureKey(err);
      setError(key ? t(key) : (err as Error).message);
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

  if (session?.authenticated) {
    return (
      <div className="sign-in-screen" data-testid="sign-in-page">
        <div className="sign-in panel">
          <p>{t('auth.already', { name: session.user.displayName || session.user.username })}</p>
          <button type="button" className="primary" onClick={() => store.set((s) => ({ view: s.afterSignIn === 'signin' ? 'map' : s.afterSignIn }))}>
            {t('auth.continue')}
          </button>
        </div>
      </div>
    );
  }
  return (
    <div className="sign-in-screen" data-testid="sign-in-page">
      <form className="sign-in panel" onSubmit={(e) => void submit(e)} noValidate>
        <div className="sign-in-brand">
          <span className="logo">图</span>
          <div>
            <h2>{t('auth.title')}</h2>
            <p className="muted small">{t('auth.subtitle')}</p>
          </div>
        </div>
        {notice && (
          <p className="notice" role="status" data-testid="sign-in-notice">
            {notice}
          </p>
        )}
        <label>
          {t('auth.username')}
          <input name="username" autoComplete="username" autoCapitalize="none" spellCheck={false} autoFocus data-testid="sign-in-username" value={username} onChange={(e) => setUsername(e.target.value)} />
        </label>
        <label>
          {t('auth.password')}
          <input name="password" type="password" autoComplete="current-password" data-testid="sign-in-password" value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        {error && (
          <p className="error" role="alert" data-testid="sign-in-error">
            {error}
          </p>
        )}
        <button type="submit" className="primary" data-testid="sign-in-submit" disabled={busy || !username.trim() || !password}>
          {busy ? t('auth.signingIn') : t('auth.signIn')}
        </button>
        <div className="sign-in-foot">
          <button type="button" className="link" onClick={() => store.set({ view: 'map', signInNotice: null })}>
            {t('auth.continuePublic')}
          </button>
          <span className="muted small">{t('auth.help')}</span>
        </div>
      </form>
    </div>
  );
}
