/**
 * The one way the app talks to the api: same-origin fetch with the session cookie, the CSRF token on every
 * state change, and problem+json (RFC 9457) turned into one typed error the pages render next to fields.
 */

export interface FieldError {
  /** JSON Pointer into the request body, e.g. `/metadata/purpose`. */
  pointer: string;
  detail: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    /** The problem type URI; its last segment is the rule's stable code. */
    readonly type: string,
    readonly title: string,
    readonly detail: string,
    readonly errors: FieldError[] = [],
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(detail || title);
    this.name = 'ApiError';
  }

  /** `agreement.not-active` for `https://accord.example/problems/agreement.not-active`. */
  get code(): string {
    return this.type.slice(this.type.lastIndexOf('/') + 1);
  }
}

let csrfToken: string | null = null;

/** Set from the session (sign-in or GET /session); cleared on sign-out. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export function csrfHeaders(method: string): Record<string, string> {
  return method !== 'GET' && method !== 'HEAD' && csrfToken ? { 'X-CSRF-Token': csrfToken } : {};
}

/** Turns a failed response into an ApiError, whatever its body. */
export async function problemFrom(
  status: number,
  contentType: string | null,
  body: string,
): Promise<ApiError> {
  if (contentType && /json/.test(contentType)) {
    try {
      return problemFromJson(status, JSON.parse(body) as unknown);
    } catch {
      // not JSON after all: fall through to the generic error
    }
  }
  return new ApiError(status, `about:blank`, `Request failed (${status})`, body.slice(0, 200));
}

export function problemFromJson(status: number, raw: unknown): ApiError {
  const p = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const errors = Array.isArray(p.errors)
    ? p.errors.flatMap((e): FieldError[] =>
        e && typeof e === 'object' && typeof (e as FieldError).detail === 'string'
          ? [{ pointer: String((e as FieldError).pointer ?? ''), detail: (e as FieldError).detail }]
          : [],
      )
    : [];
  const { type, title, detail, status: _s, errors: _e, ...extensions } = p;
  const error = new ApiError(
    status,
    typeof type === 'string' ? type : 'about:blank',
    typeof title === 'string' ? title : `Request failed (${status})`,
    typeof detail === 'string' ? detail : '',
    errors,
    extensions,
  );
  // From this app's own page, a wrong CSRF token means the page holds an earlier session's: the browser
  // signed in again in another tab. The api's words (a header name) are for developers, not for the user.
  return error.code === STALE_PAGE_CODE
    ? new ApiError(status, error.type, 'This page is out of date', STALE_PAGE_DETAIL, [], extensions)
    : error;
}

export const STALE_PAGE_CODE = 'auth.csrf';
const STALE_PAGE_DETAIL =
  'You signed in again in another tab or window, so nothing was changed. Reload this page, check who you are signed in as, then try again.';

export interface RequestOptions {
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** Listeners told when the api answers 401: the session ended (signed out elsewhere, timed out, suspended). */
const unauthenticatedListeners = new Set<() => void>();
export function onUnauthenticated(listener: () => void): () => void {
  unauthenticatedListeners.add(listener);
  return () => unauthenticatedListeners.delete(listener);
}

export async function apiFetch(method: string, path: string, opts: RequestOptions = {}): Promise<Response> {
  const headers: Record<string, string> = {
    Accept: 'application/json',
    ...csrfHeaders(method),
    ...opts.headers,
  };
  let body: BodyInit | undefined;
  if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  const res = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    ...(body !== undefined ? { body } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  if (!res.ok) {
    if (res.status === 401 && path !== '/session') unauthenticatedListeners.forEach((l) => l());
    throw await problemFrom(res.status, res.headers.get('content-type'), await res.text());
  }
  return res;
}

/** JSON in, JSON out; 204 gives undefined. */
export async function api<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const res = await apiFetch(method, path, opts);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

export const get = <T>(path: string, signal?: AbortSignal): Promise<T> =>
  api<T>('GET', path, signal ? { signal } : {});
