import { Command } from '../shared/decider';
import { SessionEndReason } from './session.events';

/** How long a session lives: `idleMs` after its last recorded activity, `absoluteMs` after it started. */
export interface SessionLifetime {
  idleMs: number;
  absoluteMs: number;
}

export type StartSession = Command<
  'StartSession',
  { userId: string; organisationId: string | null; tokenHash: string } & SessionLifetime
>;

/** A request arrived on the session: renew it if the last renewal is older than the renewal interval. */
export type RenewSession = Command<'RenewSession', SessionLifetime>;

export type EndSession = Command<'EndSession', { reason: SessionEndReason }>;

export type SessionCommand = StartSession | RenewSession | EndSession;
