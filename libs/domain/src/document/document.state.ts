import { assertNever } from '../errors';
import { DocumentEvent, SharedDocumentData } from './document.events';

export interface SharedDocument {
  status: 'shared';
  document: SharedDocumentData;
  legalHold: boolean;
  restricted: boolean;
  retentionExpired: boolean;
  payloadDestroyed: boolean;
  erased: boolean;
  /** The organisation whose subject request restricted the document (absent: none recorded). */
  restrictedBy?: string;
  /** The corrected document that supersedes this one (UK GDPR Art 16). */
  supersededBy?: string;
  /** Taken back by the sender (docs/architecture.md §25); absent: not revoked. */
  revoked?: { reason: string; revokedBy: string };
}

/**
 * `none`: nothing shared on this stream (perhaps only refusals). `orphanedKeys`: objects of failed uploads
 * the reconciler has claimed for deletion; a share still pointing at one of them must not be recorded.
 */
export type DocumentState = { status: 'none'; orphanedKeys: string[] } | SharedDocument;

export const initialDocumentState = (): DocumentState => ({ status: 'none', orphanedKeys: [] });

/** Decisions (accesses, denials, blocks) change nothing a later decision depends on: they are history. */
export function evolveDocument(state: DocumentState, event: DocumentEvent): DocumentState {
  if (event.type === 'DocumentShared') {
    return {
      status: 'shared',
      document: event.data,
      legalHold: false,
      restricted: false,
      retentionExpired: false,
      payloadDestroyed: false,
      erased: false,
    };
  }
  if (state.status === 'none') {
    return event.type === 'OrphanPayloadDeleted'
      ? { ...state, orphanedKeys: [...state.orphanedKeys, event.data.objectKey] }
      : state;
  }
  switch (event.type) {
    case 'DocumentAccessed':
    case 'AccessDenied':
    case 'TransferBlocked':
    case 'OrphanPayloadDeleted':
      return state;
    case 'LegalHoldPlaced':
      return { ...state, legalHold: true };
    case 'LegalHoldReleased':
      return { ...state, legalHold: false };
    case 'ProcessingRestricted':
      return {
        ...state,
        restricted: true,
        ...(event.data.orgId !== undefined ? { restrictedBy: event.data.orgId } : {}),
      };
    case 'RestrictionLifted': {
      const { restrictedBy: _lifted, ...rest } = state;
      return { ...rest, restricted: false };
    }
    case 'RetentionExpired':
      return { ...state, retentionExpired: true };
    case 'PayloadDestroyed':
      return { ...state, payloadDestroyed: true };
    case 'DocumentErased':
      return { ...state, erased: true };
    case 'DocumentSuperseded':
      return { ...state, supersededBy: event.data.supersededBy };
    case 'DocumentRevoked':
      return { ...state, revoked: { reason: event.data.reason, revokedBy: event.data.revokedBy } };
    default:
      return assertNever(event, 'document event');
  }
}

/** The one word lists show; the flags say the rest (a held document may also be restricted). */
export type DocumentLifecycle = 'active' | 'held' | 'restricted' | 'destroyed' | 'erased' | 'revoked';

export function lifecycleOf(state: SharedDocument): DocumentLifecycle {
  if (state.erased) return 'erased';
  if (state.revoked) return 'revoked';
  if (state.payloadDestroyed) return 'destroyed';
  if (state.restricted) return 'restricted';
  if (state.legalHold) return 'held';
  return 'active';
}
