import { assertNever } from '../errors';
import { Decider } from '../shared/decider';
import { RenewSession, SessionCommand, SessionLifetime, StartSession } from './session.commands';
import { SessionError } from './session.errors';
import { SessionEndReason, SessionEvent } from './session.events';

/**
 * The longest a session goes without a SessionRenewed while in use. Shorter than the idle time-out by far,
 * so the recorded activity lags the real one by at most this much: a session idle for the time-out ends at
 * most this early. A sixth of the idle time-out when that is less (tests, very short time-outs).
 */
export const SESSION_RENEWAL_INTERVAL_MS = 5 * 60_000;

export const renewalIntervalMs = (idleMs: number): number =>
  Math.min(SESSION_RENEWAL_INTERVAL_MS, Math.floor(idleMs / 6));

export type SessionState =
  | { status: 'none' }
  | {
      status: 'live';
      userId: string;
      organisationId: string | null;
      tokenHash: string;
      startedAt: string;
      lastRenewedAt: string;
      idleExpiresAt: string;
      absoluteExpiresAt: string;
    }
  | { status: 'ended'; userId: string; reason: SessionEndReason; endedAt: string };

export type LiveSession = Extract<SessionState, { status: 'live' }>;

export const initialSessionState = (): SessionState => ({ status: 'none' });

export function evolveSession(state: SessionState, event: SessionEvent): SessionState {
  switch (event.type) {
    case 'SessionStarted':
      return {
        status: 'live',
        userId: event.data.userId,
        organisationId: event.data.organisationId,
        tokenHash: event.data.tokenHash,
        startedAt: event.data.startedAt,
        lastRenewedAt: event.data.startedAt,
        idleExpiresAt: event.data.idleExpiresAt,
        absoluteExpiresAt: event.data.absoluteExpiresAt,
      };
    case 'SessionRenewed':
      if (state.status !== 'live') return state;
      return { ...state, lastRenewedAt: event.data.renewedAt, idleExpiresAt: event.data.idleExpiresAt };
    case 'SessionEnded':
      if (state.status !== 'live') return state;
      return {
        status: 'ended',
        userId: state.userId,
        reason: event.data.reason,
        endedAt: event.data.endedAt,
      };
    default:
      return assertNever(event, 'session event');
  }
}

/** Why a live session is over at `now`, or undefined while it lasts. The absolute limit wins a tie. */
export function sessionExpiry(session: LiveSession, now: Date): 'idle' | 'absolute' | undefined {
  const t = now.getTime();
  if (t >= Date.parse(session.absoluteExpiresAt)) return 'absolute';
  if (t >= Date.parse(session.idleExpiresAt)) return 'idle';
  return undefined;
}

/** Whether a request at `now` should record activity (the last renewal is older than the interval). */
export function renewalDue(session: LiveSession, now: Date, idleMs: number): boolean {
  return now.getTime() - Date.parse(session.lastRenewedAt) >= renewalIntervalMs(idleMs);
}

export function decideSession(command: SessionCommand, state: SessionState): SessionEvent[] {
  switch (command.type) {
    case 'StartSession':
      return start(command, state);
    case 'RenewSession':
      return renew(command, state);
    case 'EndSession':
      // Ending an ended session is a repeat (two nodes noticing the same suspension), not an error.
      if (state.status === 'ended') return [];
      if (state.status === 'none') throw new SessionError('session.not-live');
      return [
        {
          type: 'SessionEnded',
          data: { reason: command.data.reason, endedAt: command.metadata.now.toISOString() },
        },
      ];
    default:
      return assertNever(command, 'session command');
  }
}

function start({ data, metadata }: StartSession, state: SessionState): SessionEvent[] {
  if (state.status !== 'none') throw new SessionError('session.already-started');
  const now = metadata.now.getTime();
  const absolute = now + data.absoluteMs;
  return [
    {
      type: 'SessionStarted',
      data: {
        userId: data.userId,
        organisationId: data.organisationId,
        tokenHash: data.tokenHash,
        startedAt: metadata.now.toISOString(),
        idleExpiresAt: idleExpiry(now, data, absolute),
        absoluteExpiresAt: new Date(absolute).toISOString(),
      },
    },
  ];
}

function renew({ data, metadata }: RenewSession, state: SessionState): SessionEvent[] {
  if (state.status !== 'live') throw new SessionError('session.not-live');
  const now = metadata.now;
  const expired = sessionExpiry(state, now);
  if (expired) return [{ type: 'SessionEnded', data: { reason: expired, endedAt: now.toISOString() } }];
  // Another node renewed it a moment ago: nothing to add, and both agree on the expiry.
  if (!renewalDue(state, now, data.idleMs)) return [];
  return [
    {
      type: 'SessionRenewed',
      data: {
        renewedAt: now.toISOString(),
        idleExpiresAt: idleExpiry(now.getTime(), data, Date.parse(state.absoluteExpiresAt)),
      },
    },
  ];
}

/** The idle expiry never passes the absolute one, so a client is never told a time the session cannot reach. */
const idleExpiry = (now: number, lifetime: SessionLifetime, absolute: number): string =>
  new Date(Math.min(now + lifetime.idleMs, absolute)).toISOString();

export const sessionDecider: Decider<SessionState, SessionCommand, SessionEvent> = {
  decide: decideSession,
  evolve: evolveSession,
  initialState: initialSessionState,
};
