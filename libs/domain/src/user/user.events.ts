import { Event } from '../shared/decider';
import { Role } from '../vocabularies/roles';

/** Stream `user-{id}`. Name and email are personal data: they live in events, never in errors or logs. */
export type UserEnrolled = Event<'UserEnrolled', { orgId: string; name: string; email: string; role: Role }>;
export type AccessAgreementAccepted = Event<'AccessAgreementAccepted', { version: number }>;
export type UserSuspended = Event<'UserSuspended', { reason: string }>;
export type UserReinstated = Event<'UserReinstated', { reason: string }>;
/** Only the token's SHA-256 (hex) is kept; the token itself is shown once to its holder and never stored. */
export type ApiTokenIssued = Event<'ApiTokenIssued', { tokenId: string; tokenHash: string }>;
export type ApiTokenRevoked = Event<'ApiTokenRevoked', { tokenId: string }>;

/** `recordedBy`: the user id of the user or their IG lead who recorded it. */
export type TrainingRecorded = Event<
  'TrainingRecorded',
  { course: string; completedOn: string; recordedBy: string }
>;

/**
 * A refused action on a breach by this user (README: every denial is an immutable event). On the user's
 * stream, since a refusal may name no breach (a report) or one the user must not learn anything of: `route`
 * is the route's template, `reason` the problem code answered, `orgIds` the breach's reporter when the
 * user's organisation is involved in the breach (its audit readers see the attempt; an outsider's record
 * names no one, so it tells the outsider's organisation nothing the 404 did not).
 */
export type BreachActionRefused = Event<
  'BreachActionRefused',
  { route: string; reason: string; breachId?: string; orgIds?: string[] }
>;

export type UserEvent =
  | BreachActionRefused
  | TrainingRecorded
  | UserEnrolled
  | AccessAgreementAccepted
  | UserSuspended
  | UserReinstated
  | ApiTokenIssued
  | ApiTokenRevoked;
