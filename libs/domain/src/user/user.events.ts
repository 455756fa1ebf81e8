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

export type UserEvent =
  | TrainingRecorded
  | UserEnrolled
  | AccessAgreementAccepted
  | UserSuspended
  | UserReinstated
  | ApiTokenIssued
  | ApiTokenRevoked;
