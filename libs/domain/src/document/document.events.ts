import { Event } from '../shared/decider';

/**
 * Stream `document-{id}`. A refused share leaves its AccessDenied or TransferBlocked on the stream of the
 * document id it would have had (derived from the Idempotency-Key, or fresh), so every decision about one
 * upload sits in one chain and the refusal's problem names that id. Such a stream has no DocumentShared.
 */
export type ShareMode = 'pre-encrypted' | 'server-encrypted';
export type DocumentNature = 'fact' | 'opinion' | 'mixed';

export type SharedDocumentData = {
  agreementId: string;
  /** The version in force when shared: an amendment still awaiting signatures never governs a share. */
  agreementVersion: number;
  senderOrg: string;
  recipients: string[];
  purpose: string;
  dataCategories: string[];
  /** HMAC-SHA256 references of the data subjects (hex); never the raw identifiers. */
  subjectRefs: string[];
  nature: DocumentNature;
  /** Metadata visible to parties only; never written to logs or errors. */
  title: string;
  objectKey: string;
  size: number;
  /** Lower-case hex SHA-256 of the stored ciphertext. */
  sha256: string;
  /** Primary fingerprints of the keys the stored message is encrypted to (recipients', maybe the sender's). */
  recipientFingerprints: string[];
  storageRegion: string;
  sharedAt: string;
  retainUntil: string;
  mode: ShareMode;
  /**
   * Need-to-know (docs/architecture.md §24): per recipient organisation, the teams whose members alone open
   * it, fixed at share time (the teams named, else the organisation's default receiving team then). An
   * organisation absent here receives it whole, as before teams. Absent on shares made before teams.
   */
  recipientTeams?: Record<string, string[]>;
};

/** Appended only after the object is stored: an event never points at a missing object. */
export type DocumentShared = Event<'DocumentShared', SharedDocumentData>;

/** Appended before the content starts streaming; the client is also in the envelope's meta. */
export type DocumentAccessed = Event<
  'DocumentAccessed',
  {
    client: { ip: string; country: string };
    orgId: string;
    /** The purpose the user confirmed at opening (Caldicott), when stated (docs/architecture.md §26). */
    purpose?: string;
  }
>;

/** A refusal, by its stable code (`share.*`, `open.*`). `agreementId` when a share under it was refused. */
export type AccessDenied = Event<'AccessDenied', { reason: string; orgId?: string; agreementId?: string }>;

/**
 * A UK-only refusal (docs/architecture.md §9.4): `destination` is where the data would have gone (a
 * recipient's jurisdiction, the storage region, or the client's country, `unknown` when none is known).
 */
export type TransferBlocked = Event<
  'TransferBlocked',
  { reason: string; destination: string; orgId?: string; agreementId?: string }
>;

export type LegalHoldPlaced = Event<'LegalHoldPlaced', { reason: string; orgId: string }>;
export type LegalHoldReleased = Event<'LegalHoldReleased', { reason: string; orgId: string }>;
/** UK GDPR Art 18: the document is kept but not opened until the restriction is lifted. */
export type ProcessingRestricted = Event<
  'ProcessingRestricted',
  {
    reason: string;
    requestId?: string;
    /** The organisation whose subject request restricted it. */ orgId?: string;
  }
>;
export type RestrictionLifted = Event<
  'RestrictionLifted',
  { reason: string; requestId?: string; orgId?: string }
>;
export type RetentionExpired = Event<'RetentionExpired', { retainUntil: string }>;
/** The ciphertext is gone from the object store; the metadata and the history stay. */
export type PayloadDestroyed = Event<'PayloadDestroyed', { objectKey: string }>;
export type DocumentErased = Event<'DocumentErased', { requestId: string }>;
/**
 * UK GDPR Art 16 and 19: a corrected document supersedes this one. The document stays readable (the record
 * of what was shared, and when, is kept); `recipients` and `agreementId` are copied from the share so the
 * notifications read model can tell every recipient without reading another model.
 */
export type DocumentSuperseded = Event<
  'DocumentSuperseded',
  { supersededBy: string; requestId: string; agreementId: string; recipients: string[] }
>;

/**
 * The orphan reconciler claims the stream of an object no DocumentShared points at, then deletes the
 * object. The claim (at the revision it read) makes a share racing it lose its append, so the object can
 * never be deleted under a DocumentShared.
 */
export type OrphanPayloadDeleted = Event<'OrphanPayloadDeleted', { objectKey: string }>;

/**
 * The sender (or the sending organisation's IG lead) took the document back (docs/architecture.md §25): every
 * later open is refused (410 `open.revoked`) and the payload is destroyed as retention destroys it.
 * `recipients`, `recipientTeams` and `agreementId` are copied from the share so inboxes and notifications
 * can tell every recipient without reading another model.
 */
export type DocumentRevoked = Event<
  'DocumentRevoked',
  {
    reason: string;
    /** The user who revoked it, and their organisation (the sender). */
    revokedBy: string;
    orgId: string;
    agreementId: string;
    recipients: string[];
    recipientTeams?: Record<string, string[]>;
  }
>;

export type DocumentEvent =
  | DocumentShared
  | DocumentAccessed
  | AccessDenied
  | TransferBlocked
  | LegalHoldPlaced
  | LegalHoldReleased
  | ProcessingRestricted
  | RestrictionLifted
  | RetentionExpired
  | PayloadDestroyed
  | DocumentErased
  | DocumentSuperseded
  | OrphanPayloadDeleted
  | DocumentRevoked;

export const DOCUMENT_EVENT_TYPES = [
  'DocumentShared',
  'DocumentAccessed',
  'AccessDenied',
  'TransferBlocked',
  'LegalHoldPlaced',
  'LegalHoldReleased',
  'ProcessingRestricted',
  'RestrictionLifted',
  'RetentionExpired',
  'PayloadDestroyed',
  'DocumentErased',
  'DocumentSuperseded',
  'OrphanPayloadDeleted',
  'DocumentRevoked',
] as const satisfies readonly DocumentEvent['type'][];

export const DOCUMENT_OBJECT_PREFIX = 'documents/';
export const documentObjectKey = (documentId: string): string => `${DOCUMENT_OBJECT_PREFIX}${documentId}`;
