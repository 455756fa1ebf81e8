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
 * A refused action by this user on a breach, an agreement or a subject request (README: every denial is an
 * immutable event; refused shares, opens and reads of documents are AccessDenied on the document's stream,
 * refused token issues TokenIssueRefused). On the user's stream, since a refusal may name nothing that exists
 * (a report, a draft) or something the user must not learn anything of: `route` is the route's template,
 * `reason` the problem code answered, `resourceId` the id in the route when there is one, `orgIds` the
 * organisations besides the user's own whose audit readers see it (a breach's reporter when the user's
 * organisation is involved in the breach; none otherwise, so an outsider's record tells no one anything the
 * 403 or 404 did not).
 */
export type ActionRefused = Event<
  'ActionRefused',
  { route: string; reason: string; resourceId?: string; orgIds?: string[] }
>;

export type UserEvent =
  | ActionRefused
  | TrainingRecorded
  | UserEnrolled
  | AccessAgreementAccepted
  | UserSuspended
  | UserReinstated
  | ApiTokenIssued
  | ApiTokenRevoked;
