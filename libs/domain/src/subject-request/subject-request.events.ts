import { Event } from '../shared/decider';

/** UK GDPR Arts 15 (access), 18 (restriction, and its lifting), 17 (erasure), 16 (rectification). */
export const SUBJECT_REQUEST_KINDS = [
  'access',
  'restriction',
  'lift-restriction',
  'erasure',
  'rectification',
] as const;
export type SubjectRequestKind = (typeof SUBJECT_REQUEST_KINDS)[number];

/**
 * Stream `subject-request-{id}`. The subject is named by its HMAC reference only: the raw NHS number or
 * local reference never reaches an event, a log or an error. `reason` is the IG lead's note (may be quoted
 * in the access report; it is the requester's own text).
 */
export type SubjectRequestReceived = Event<
  'SubjectRequestReceived',
  {
    kind: SubjectRequestKind;
    subjectRef: string;
    orgId: string;
    reason: string;
    receivedAt: string;
    /** Rectification only: the document corrected, and the corrected one that supersedes it. */
    documentId?: string;
    correctedDocumentId?: string;
    /**
     * Erasure only: the controllers (sending organisations) of documents this organisation only received,
     * to whom it redirects the person (docs/architecture.md §28); absent when there are none.
     */
    redirectTo?: string[];
  }
>;

export type SubjectAccessProvided = Event<
  'SubjectAccessProvided',
  { documentIds: string[]; providedAt: string }
>;
export type ProcessingRestrictionApplied = Event<
  'ProcessingRestrictionApplied',
  { documentIds: string[]; appliedAt: string }
>;
export type RestrictionLiftedForSubject = Event<
  'RestrictionLiftedForSubject',
  { documentIds: string[]; liftedAt: string }
>;

/** Why one document is kept: the exemption of UK GDPR Art 17(3) and the basis (or hold) that engages it. */
export type ErasureOverride = {
  documentId: string;
  agreementId: string;
  /** Art 17(3) point, e.g. `art17-3-b`; `dpa2018-s47` for law-enforcement processing (DPA 2018 Part 3). */
  exemption: string;
  /** The agreement's lawful basis that engages the exemption; absent for a legal hold. */
  lawfulBasis?: string;
  legalHold?: boolean;
};

/**
 * Appended with the request, before any payload is touched (docs/architecture.md §20.9): the documents to
 * erase are fixed here, because the read model forgets a document's subject references as soon as it is
 * erased, so a retry after a crash could no longer find them by subject.
 */
export type ErasureApproved = Event<'ErasureApproved', { documentIds: string[] }>;
export type ErasureRefused = Event<'ErasureRefused', { reason: string; overriddenBy: ErasureOverride[] }>;
/** Every approved document is erased and its payload destroyed. */
export type ErasureCompleted = Event<'ErasureCompleted', { documentIds: string[]; completedAt: string }>;
export type RectificationRecorded = Event<
  'RectificationRecorded',
  { supersededId: string; correctedId: string; recordedAt: string }
>;

export type SubjectRequestEvent =
  | SubjectRequestReceived
  | SubjectAccessProvided
  | ProcessingRestrictionApplied
  | RestrictionLiftedForSubject
  | ErasureApproved
  | ErasureRefused
  | ErasureCompleted
  | RectificationRecorded;

export const SUBJECT_REQUEST_EVENT_TYPES = [
  'SubjectRequestReceived',
  'SubjectAccessProvided',
  'ProcessingRestrictionApplied',
  'RestrictionLiftedForSubject',
  'ErasureApproved',
  'ErasureRefused',
  'ErasureCompleted',
  'RectificationRecorded',
] as const satisfies readonly SubjectRequestEvent['type'][];
