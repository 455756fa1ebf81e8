import { AnyMatrixRow, everyone, expectStatuses } from '../matrix';

/**
 * Browser sign-in. POST /session is public and answers by the token in the body, whoever calls: every
 * enrolled user's own token signs in, a made-up one is 401. GET and DELETE /session need a session cookie:
 * a bearer token is not a session, so every caller here (all use the header) is 401. The cookie's own
 * doors (CSRF, expiry, suspension) are in test/sessions.
 */
export const rows: AnyMatrixRow[] = [
  {
    method: 'POST',
    path: '/session',
    request: (_w, call) => ({
      path: '/session',
      body: { token: call.user?.token ?? 'acc_not-a-real-token-at-all-not-a-real-token-at-a' },
    }),
    expect: expectStatuses({ others: 201, anonymous: 401 }),
  },
  { method: 'GET', path: '/session', request: () => ({ path: '/session' }), expect: everyone(401) },
  { method: 'DELETE', path: '/session', request: () => ({ path: '/session' }), expect: everyone(401) },
];
