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

/** GETs (or sends) JSON; throws an {@link ApiError} with the problem's detail when not 2xx. */
export async function api<T>(url: string, init?: RequestInit & { json?: unknown }): Promise<T> {
  const { json, ...rest } = init ?? {};
  const req: RequestInit = { ...rest, headers: { accept: 'application/json', ...(rest.headers ?? {}) } };
  if (json !== undefined) {
    req.body = JSON.stringify(json);
    req.headers = { ...req.headers, 'content-type': 'application/json' };
  }
  const res = await fetch(url, req);
  if (!res.ok) throw await failure(res);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
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
