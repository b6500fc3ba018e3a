import { api, ApiError, configureSession } from '../app/api.ts';
import { store } from '../app/store.ts';
import { translate } from '../i18n/i18n.ts';
import type { SessionState, SignedIn, User } from './types.ts';

/** Answer of `POST /auth/sign-in`. */
interface SignInAnswer {
  user: User;
  csrfToken: string;
  expiresAt: string;
}

/** Hooks run after the session changed (sign-in, sign-out, lost): the catalog and the map reload what the new person may see. */
const changeListeners = new Set<() => void | Promise<void>>();

/** Runs `fn` after every change of who is signed in; returns the unsubscribe function. */
export function onSessionChange(fn: () => void | Promise<void>): () => void {
  changeListeners.add(fn);
  return () => changeListeners.delete(fn);
}

function setSession(s: SessionState): void {
  const before = store.get().session;
  const who = (x: SessionState | null) => (x && x.authenticated ? x.user.id : x ? '' : null);
  configureSession({ csrfToken: s.authenticated ? s.csrfToken : null });
  store.set({ session: s });
  if (before !== null && who(before) !== who(s)) for (const fn of changeListeners) void fn();
}

/** Reads who is signed in (`GET /auth/session`); anonymous when the server has no session API. */
export async function loadSession(): Promise<SessionState> {
  let s: SessionState;
  try {
    s = await api<SessionState>('/auth/session');
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    s = { authenticated: false };
  }
  setSession(s);
  return s;
}

/** Connects the api client to the session (CSRF retry, session lost) and loads it. */
export function startSession(): Promise<SessionState> {
  configureSession({
    refreshCsrf: async () => {
      const s = await loadSession();
      return s.authenticated ? s.csrfToken : null;
    },
    onSessionLost: () => sessionLost(),
  });
  return loadSession();
}

/** The server no longer knows the session (expired, ended elsewhere): back to the sign-in page with a message. */
export function sessionLost(): void {
  const st = store.get();
  if (!st.session?.authenticated) return;
  setSession({ authenticated: false });
  store.set({ view: 'signin', afterSignIn: st.view === 'signin' ? 'map' : st.view, signInNotice: translate(st.lang, 'auth.sessionEnded') });
}

/** Signs in (`POST /auth/sign-in`), then reads the full session (department, permissions). */
export async function signIn(username: string, password: string): Promise<SignedIn> {
  await api<SignInAnswer>('/auth/sign-in', { method: 'POST', json: { username, password } });
  const s = await loadSession();
  if (!s.authenticated) throw new ApiError('The session did not start; check that the browser accepts cookies from this site.', 0);
  return s;
}

/** Signs out (`POST /auth/sign-out`) and goes back to the public map. */
export async function signOut(): Promise<void> {
  try {
    await api('/auth/sign-out', { method: 'POST' });
  } finally {
    setSession({ authenticated: false });
    store.set({ view: 'map', sharingFocus: null });
  }
}

/** Changes the signed-in user's password (`POST /auth/password`); the other sessions end, this one is read again. */
export async function changePassword(currentPassword: string, newPassword: string): Promise<void> {
  await api('/auth/password', { method: 'POST', json: { currentPassword, newPassword } });
  await loadSession();
}

/** Opens the sign-in page, coming back to the current view afterwards. */
export function goToSignIn(notice: string | null = null): void {
  const v = store.get().view;
  store.set({ view: 'signin', afterSignIn: v === 'signin' ? 'map' : v, signInNotice: notice });
}
