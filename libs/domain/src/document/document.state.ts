import { assertNever } from '../errors';
import { DocumentEvent, SharedDocumentData } from './document.events';

export interface SharedDocument {
  status: 'shared';
  document: SharedDocumentData;
  /** Held by at least one organisation (`holdsBy` not empty). */
  legalHold: boolean;
  /**
   * The organisations whose legal hold keeps the document, each placed and released by that organisation
   * alone: one party's release must not destroy what another holds for a claim of its own.
   */
  holdsBy: string[];
  restricted: boolean;
  retentionExpired: boolean;
  payloadDestroyed: boolean;
  erased: boolean;
  /**
   * The organisations whose subject requests restrict the document, each lifted by that organisation alone
   * (null: a restriction recorded without one, which any organisation lifts). Restricted while not empty:
   * one organisation's lift must not end the restriction the person asked another for.
   */
  restrictedBy: (string | null)[];
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
      holdsBy: [],
      restricted: false,
      restrictedBy: [],
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
    case 'LegalHoldPlaced': {
      const holdsBy = [...state.holdsBy.filter((o) => o !== event.data.orgId), event.data.orgId];
      return { ...state, legalHold: true, holdsBy };
    }
    case 'LegalHoldReleased': {
      // A release by an organisation that held nothing is history from before holds were per organisation,
      // when one hold at a time was kept and any party released it: it ended that hold.
      const holdsBy = state.holdsBy.includes(event.data.orgId)
        ? state.holdsBy.filter((o) => o !== event.data.orgId)
        : [];
      return { ...state, legalHold: holdsBy.length > 0, holdsBy };
    }
    case 'ProcessingRestricted': {
      const by = event.data.orgId ?? null;
      return {
        ...state,
        restricted: true,
        restrictedBy: [...state.restrictedBy.filter((o) => o !== by), by],
      };
    }
    case 'RestrictionLifted': {
      // The lifting organisation's own restriction, else one recorded without an organisation.
      const by = event.data.orgId ?? null;
      const i = state.restrictedBy.includes(by)
        ? state.restrictedBy.indexOf(by)
        : state.restrictedBy.indexOf(null);
      const restrictedBy = state.restrictedBy.filter((_, j) => j !== i);
      return { ...state, restricted: restrictedBy.length > 0, restrictedBy };
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

/** Whether `orgId` holds a restriction of the document to lift: its own, or one recorded without one. */
export function liftsOwn(state: { restrictedBy: readonly (string | null)[] }, orgId: string): boolean {
  return state.restrictedBy.includes(orgId) || state.restrictedBy.includes(null);
}
