import { Event } from '../shared/decider';
import { AgreementChanges, AgreementTerms } from './agreement.terms';

/** Stream `agreement-{id}`. All instants are ISO-8601 UTC strings. */
export type AgreementDrafted = Event<'AgreementDrafted', AgreementTerms>;

/** Opens version n+1; every party of it signs again before it governs a share. */
/** `joining`, when set, names the party this version adds (a joining version, docs/architecture.md §28). */
export type AgreementAmended = Event<
  'AgreementAmended',
  { version: number; reasonForChange: string; changes: AgreementChanges; joining?: string }
>;

/** `signedAt` is when Accord recorded it; `signedOn`, when given, the date as signed on the document. */
export type AgreementSigned = Event<
  'AgreementSigned',
  { orgId: string; signatory: string; position: string; version: number; signedAt: string; signedOn?: string }
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

export type ImportedAgreementVersion = {
  version: number;
  /** The terms of this version, whole (the partners' label, ratification date and the like included). */
  terms: AgreementTerms;
  reasonForChange: string | null;
  date: string | null;
  signatures: { orgId: string; signatory: string; position: string; signedOn: string }[];
  /** When every party had signed it (the last signature's date, start of that UTC day), else null. */
  activatedAt: string | null;
};

/**
 * An existing agreement brought in with its history, in place of AgreementDrafted: its provenance
 * (`source`, `importedBy` user, `importedAt`), its versions as signed, and where that leaves it.
 */
export type AgreementImported = Event<
  'AgreementImported',
  {
    source: string;
    importedBy: string;
    importedAt: string;
    versions: ImportedAgreementVersion[];
    activeVersion: number | null;
    firstActivatedAt: string | null;
    nextReviewDue: string | null;
  }
>;

/** A party's notice of withdrawal: from `effectiveAt` it neither sends nor opens under the agreement. */
export type PartyWithdrawn = Event<'PartyWithdrawn', { orgId: string; effectiveAt: string }>;

export type AgreementEvent =
  | PartyWithdrawn
  | AgreementDrafted
  | AgreementImported
  | AgreementAmended
  | AgreementSigned
  | AgreementActivated
  | AgreementReviewed
  | AgreementSuspended
  | AgreementReinstated
  | AgreementTerminated;

export const AGREEMENT_EVENT_TYPES = [
  'AgreementDrafted',
  'AgreementImported',
  'AgreementAmended',
  'AgreementSigned',
  'AgreementActivated',
  'AgreementReviewed',
  'AgreementSuspended',
  'AgreementReinstated',
  'AgreementTerminated',
  'PartyWithdrawn',
] as const satisfies readonly AgreementEvent['type'][];
