import { Command } from '../shared/decider';
import type { DocumentNature, ShareMode } from './document.events';
import type { DocumentRefusal } from './document.errors';
import type { OpenContext } from './open.policy';
import type { ApprovedShare } from './share.policy';

/** The stored ciphertext, as the object store reported it after the put. */
export interface StoredPayload {
  objectKey: string;
  size: number;
  sha256: string;
  recipientFingerprints: string[];
  storageRegion: string;
  mode: ShareMode;
}

/** Issued only with a share evaluateShare approved and whose payload is already stored. */
export type ShareDocument = Command<
  'ShareDocument',
  {
    share: ApprovedShare;
    subjectRefs: string[];
    nature: DocumentNature;
    title: string;
    payload: StoredPayload;
    /** Resolved by addressTeams (docs/architecture.md §24); absent: every recipient receives it whole. */
    recipientTeams?: Record<string, string[]>;
  }
>;

/** Records a refused share on the stream of the document id it would have had. */
export type RecordShareRefusal = Command<
  'RecordShareRefusal',
  { refusal: DocumentRefusal; orgId: string | null; agreementId?: string }
>;

export type OpenDocument = Command<'OpenDocument', Omit<OpenContext, 'now'>>;

/** The orphan reconciler's claim on an object no DocumentShared points at. */
export type DeleteOrphanPayload = Command<'DeleteOrphanPayload', { objectKey: string }>;

/** An IG lead of the sender or a recipient stops destruction (litigation, an inquiry, a complaint). */
export type PlaceLegalHold = Command<'PlaceLegalHold', { reason: string; orgId: string }>;
export type ReleaseLegalHold = Command<'ReleaseLegalHold', { reason: string; orgId: string }>;
/**
 * The retention job's first step: once appended, destruction is committed (docs/architecture.md §20.9, event
 * before effect).
 */
export type ExpireRetention = Command<'ExpireRetention', Record<string, never>>;
/** The retention job's last step, after the object is deleted. */
export type RecordPayloadDestroyed = Command<'RecordPayloadDestroyed', Record<string, never>>;

/** Data-subject requests (UK GDPR Arts 16-18), each on behalf of the request `requestId`. */
export type RestrictProcessing = Command<
  'RestrictProcessing',
  { reason: string; requestId: string; orgId: string }
>;
export type LiftRestriction = Command<
  'LiftRestriction',
  { reason: string; requestId: string; orgId: string }
>;
/**
 * Erasure's first step: once appended, the payload's destruction is committed (docs/architecture.md §20.9).
 */
export type EraseDocument = Command<'EraseDocument', { requestId: string }>;
export type SupersedeDocument = Command<'SupersedeDocument', { supersededBy: string; requestId: string }>;

/**
 * docs/architecture.md §25. `sharedBy`: the user whose share recorded DocumentShared (the envelope's actor,
 * read by the handler), null when the share was not a person's.
 */
export type RevokeDocument = Command<
  'RevokeDocument',
  { reason: string; user: { userId: string; orgId: string | null; role: string }; sharedBy: string | null }
>;

export type DocumentCommand =
  | ShareDocument
  | RecordShareRefusal
  | OpenDocument
  | DeleteOrphanPayload
  | PlaceLegalHold
  | ReleaseLegalHold
  | ExpireRetention
  | RecordPayloadDestroyed
  | RestrictProcessing
  | LiftRestriction
  | EraseDocument
  | SupersedeDocument
  | RevokeDocument;
