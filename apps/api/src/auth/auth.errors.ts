/**
 * Authentication and authorisation failures. Same shape as the domain's errors (stable `code`, `status`,
 * `title`, `detail`), so the one problem+json filter renders them. Details never name the caller, the token
 * or the organisation asked for.
 */
export type AuthErrorCode =
  | 'auth.unauthenticated'
  | 'auth.forbidden-role'
  | 'auth.other-organisation'
  | 'auth.throttled'
  | 'auth.enrolment-token'
  | 'auth.csrf';

const ENTRIES: Record<AuthErrorCode, readonly [401 | 403 | 429, string, string]> = {
  'auth.unauthenticated': [
    401,
    'Authentication required',
    'Send a valid API token as "Authorization: Bearer <token>".',
  ],
  'auth.forbidden-role': [403, 'Role not permitted', 'Your role may not perform this operation.'],
  'auth.other-organisation': [403, 'Another organisation', 'You may act only for your own organisation.'],
  'auth.throttled': [
    429,
    'Too many failed authentications',
    'Too many failed authentications from this client or with this token; retry after the time in Retry-After.',
  ],
  'auth.csrf': [
    403,
    'CSRF token missing or wrong',
    "A request authenticated by the session cookie that changes anything must carry the session's CSRF token in the X-CSRF-Token header.",
  ],
  'auth.enrolment-token': [
    403,
    'Enrolment token',
    'This token was issued by the platform admin: exchange it for your own (POST /users/{your id}/tokens) first.',
  ],
};

export class AuthError extends Error {
  readonly status: number;
  readonly title: string;
  readonly detail: string;

  constructor(
    readonly code: AuthErrorCode,
    detail?: string,
    readonly extra?: Record<string, string | number | boolean | string[]>,
  ) {
    const [status, title, defaultDetail] = ENTRIES[code];
    super(`${code}: ${detail ?? defaultDetail}`);
    this.name = 'AuthError';
    this.status = status;
    this.title = title;
    this.detail = detail ?? defaultDetail;
  }
}

export const unauthenticated = (): AuthError => new AuthError('auth.unauthenticated');

export const forbiddenRole = (allowed: readonly string[]): AuthError =>
  new AuthError('auth.forbidden-role', undefined, { allowedRoles: [...allowed] });

export const otherOrganisation = (): AuthError => new AuthError('auth.other-organisation');

export const authThrottled = (retryAfterSeconds: number): AuthError =>
  new AuthError('auth.throttled', undefined, { retryAfterSeconds });
