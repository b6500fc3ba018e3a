/** An error answered by the API (RFC 9457 problem), with the message a person can act on. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code?: string,
  ) {
    super(message);
  }
}

async function failure(res: Response): Promise<ApiError> {
  let detail = `${res.status} ${res.statusText}`;
  let code: string | undefined;
  try {
    const p = (await res.json()) as { detail?: string; title?: string; code?: string };
    detail = p.detail ?? p.title ?? detail;
    code = p.code;
  } catch {
    // Not JSON.
  }
  return new ApiError(detail, res.status, code);
}

/** What the api client knows of the browser session (set by web/src/access/session.ts). */
interface SessionHooks {
  /** The signed-in session's CSRF token, or null when anonymous. */
  csrfToken: string | null;
  /** Called when the server says the session is gone (401 while signed in). */
  onSessionLost: ((e: ApiError) => void) | null;
  /** Fetches the session's current CSRF token again (another tab signed in anew); null when signed out. */
  refreshCsrf: (() => Promise<string | null>) | null;
}

const session: SessionHooks = { csrfToken: null, onSessionLost: null, refreshCsrf: null };

/** Connects the api client to the browser session: the CSRF token and what to do when the session ends. */
export function configureSession(hooks: Partial<SessionHooks>): void {
  Object.assign(session, hooks);
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Headers an unsafe request (POST, PUT, PATCH, DELETE) needs when signed in: the session's CSRF token. */
export function csrfHeaders(): Record<string, string> {
  return session.csrfToken ? { 'x-csrf-token': session.csrfToken } : {};
}

/**
 * Sends a request as {@link api} does (CSRF token on unsafe methods, one retry with a fresh token
 * after a CSRF refusal, the session-lost handler on a 401 while signed in); throws an {@link ApiError}
 * when not 2xx. For bodies that are not JSON (uploads).
 */
export async function apiFetch(url: string, init: RequestInit = {}): Promise<Response> {
  const method = (init.method ?? 'GET').toUpperCase();
  const send = () => fetch(url, { ...init, headers: { accept: 'application/json', ...(UNSAFE.has(method) ? csrfHeaders() : {}), ...((init.headers as Record<string, string> | undefined) ?? {}) } });
  let res = await send();
  if (res.ok) return res;
  let err = await failure(res);
  if (err.code === 'YITU_ERR_CSRF' && session.csrfToken && session.refreshCsrf) {
    session.csrfToken = await session.refreshCsrf().catch(() => null);
    if (session.csrfToken) {
      res = await send();
      if (res.ok) return res;
      err = await failure(res);
    }
  }
  // A wrong password is a 401 too, but the session is still there.
  if (err.status === 401 && session.csrfToken && err.code !== 'YITU_ERR_SIGN_IN_FAILED' && !url.startsWith('/auth/sign-in')) session.onSessionLost?.(err);
  throw err;
}

/** GETs (or sends) JSON; throws an {@link ApiError} with the problem's detail when not 2xx. */
export async function api<T>(url: string, init?: RequestInit & { json?: unknown }): Promise<T> {
  const { json, ...rest } = init ?? {};
  const req: RequestInit = { ...rest, headers: { ...((rest.headers as Record<string, string> | undefined) ?? {}) } };
  if (json !== undefined) {
    req.body = JSON.stringify(json);
    req.headers = { ...req.headers, 'content-type': 'application/json' };
  }
  const res = await apiFetch(url, req);
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Like {@link api}, but resolves to null on 404 (an API that is not there yet, or a missing resource). */
export async function apiOrNull<T>(url: string): Promise<T | null> {
  try {
    return await api<T>(url);
  } catch (e) {
    if (e instanceof ApiError && (e.status === 404 || e.status === 501)) return null;
    throw e;
  }
}

/** A query string from the defined values. */
export function qs(params: Record<string, string | number | boolean | undefined | null>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}
