import { Command } from '../shared/decider';
import type { ErasureCandidate } from './erasure.policy';

/** One of the subject's documents as rectification checks it (folded from the event store by the handler). */
export interface RectificationDocument {
  documentId: string;
  senderOrg: string;
  subjectRefs: readonly string[];
  erased: boolean;
  supersededBy: string | null;
}

/**
 * `subjectRef` is already the HMAC (the edge computes it: the domain has no secret). `candidates`: for an
 * erasure, the subject's documents the organisation sent or received; `rectify`: for a rectification,
 * the two documents as they stand (undefined when an id names no document the organisation can see).
 */
export type ReceiveSubjectRequest = Command<
  'ReceiveSubjectRequest',
  {
    kind: string;
    subjectRef: string;
    orgId: string;
    reason: string;
    candidates?: readonly ErasureCandidate[];
    rectify?: {
      documentId?: string;
      correctedDocumentId?: string;
      document?: RectificationDocument;
      corrected?: RectificationDocument;
    };
  }
>;

/**
 * Records the outcome once the documents' own streams have been changed. `documentIds`: the documents
 * reported (access), restricted or lifted; ignored for erasure (the approved list is on the stream) and
 * rectification (the request names them).
 */
export type CompleteSubjectRequest = Command<'CompleteSubjectRequest', { documentIds: readonly string[] }>;

export type SubjectRequestCommand = ReceiveSubjectRequest | CompleteSubjectRequest;
