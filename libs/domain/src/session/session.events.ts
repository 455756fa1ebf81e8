import { Event } from '../shared/decider';

/**
 * Stream `session-{sessionId}`: one browser session (docs/architecture.md §34). The session id is the
 * SHA-256 of the cookie's secret (base64url): the log and every read model hold only this digest, so
 * whoever reads them cannot present the cookie. The API token the user signed in with is named by its hash
 * (as the directory already holds it), so its holder is looked up afresh on every request.
 */
export type SessionEndReason = 'signed-out' | 'idle' | 'absolute' | 'token-revoked' | 'user-suspended';

export const SESSION_END_REASONS: readonly SessionEndReason[] = [
  'signed-out',
  'idle',
  'absolute',
  'token-revoked',
  'user-suspended',
];

export type SessionStarted = Event<
  'SessionStarted',
  {
    userId: string;
    /** Null for the platform admin, who belongs to no partner organisation. */
    organisationId: string | null;
    tokenHash: string;
    startedAt: string;
    idleExpiresAt: string;
    absoluteExpiresAt: string;
  }
>;

/**
 * The user was active. Appended at most once per renewal interval (at most 5 minutes), so a busy session
 * costs one event per interval and every node agrees on the idle expiry to within that interval.
 */
export type SessionRenewed = Event<'SessionRenewed', { renewedAt: string; idleExpiresAt: string }>;

export type SessionEnded = Event<'SessionEnded', { reason: SessionEndReason; endedAt: string }>;

export type SessionEvent = SessionStarted | SessionRenewed | SessionEnded;

export const SESSION_EVENT_TYPES = [
  'SessionStarted',
  'SessionRenewed',
  'SessionEnded',
] as const satisfies readonly SessionEvent['type'][];
