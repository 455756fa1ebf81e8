import { Event } from '../shared/decider';
import { AgreementChanges, AgreementTerms } from './agreement.terms';

/** Stream `agreement-{id}`. All instants are ISO-8601 UTC strings. */
export type AgreementDrafted = Event<'AgreementDrafted', AgreementTerms>;

/** Opens version n+1; every party of it signs again before it governs a share. */
export type AgreementAmended = Event<
  'AgreementAmended',
  { version: number; reasonForChange: string; changes: AgreementChanges }
>;

export type AgreementSigned = Event<
  'AgreementSigned',
  { orgId: string; signatory: string; position: string; version: number; signedAt: string }
>;

/** Emitted with the last party's signature. `firstReviewDue` only on the agreement's first activation. */
export type AgreementActivated = Event<
  'AgreementActivated',
  { version: number; activatedAt: string; firstReviewDue?: string }
>;

export type AgreementReviewed = Event<'AgreementReviewed', { reviewedAt: string; nextReviewDue: string }>;
export type AgreementSuspended = Event<'AgreementSuspended', { reason: string }>;
export type AgreementReinstated = Event<'AgreementReinstated', { reason: string }>;

/** Notice of termination; the agreement ends at `effectiveAt`, which may be later than the notice. */
export type AgreementTerminated = Event<
  'AgreementTerminated',
  { noticeServedBy: string; effectiveAt: string }
>;

export type AgreementEvent =
  | AgreementDrafted
  | AgreementAmended
  | AgreementSigned
  | AgreementActivated
  | AgreementReviewed
  | AgreementSuspended
  | AgreementReinstated
  | AgreementTerminated;
