import { assertNever } from '../errors';
import type { ErasureOverride, SubjectRequestEvent, SubjectRequestKind } from './subject-request.events';

export interface ExistingSubjectRequest {
  status: 'received' | 'completed';
  kind: SubjectRequestKind;
  subjectRef: string;
  orgId: string;
  reason: string;
  receivedAt: string;
  documentId: string | null;
  correctedDocumentId: string | null;
  /** The documents the outcome names (reported, restricted, lifted, erased); approved ones for erasure. */
  documentIds: string[];
  erasure: { approved: string[]; kept: ErasureOverride[]; refusal: string | null } | null;
  completedAt: string | null;
  /** Erasure: the controllers of documents the organisation only received (redirect the person there). */
  redirectTo?: string[];
}

export type SubjectRequestState = { status: 'none' } | ExistingSubjectRequest;

export const initialSubjectRequestState = (): SubjectRequestState => ({ status: 'none' });

export function evolveSubjectRequest(
  state: SubjectRequestState,
  event: SubjectRequestEvent,
): SubjectRequestState {
  if (event.type === 'SubjectRequestReceived') {
    const d = event.data;
    return {
      status: 'received',
      kind: d.kind,
      subjectRef: d.subjectRef,
      orgId: d.orgId,
      reason: d.reason,
      receivedAt: d.receivedAt,
      documentId: d.documentId ?? null,
      correctedDocumentId: d.correctedDocumentId ?? null,
      documentIds: [],
      erasure: null,
      completedAt: null,
      ...(d.redirectTo ? { redirectTo: d.redirectTo } : {}),
    };
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'SubjectAccessProvided':
      return {
        ...state,
        status: 'completed',
        documentIds: event.data.documentIds,
        completedAt: event.data.providedAt,
      };
    case 'ProcessingRestrictionApplied':
      return {
        ...state,
        status: 'completed',
        documentIds: event.data.documentIds,
        completedAt: event.data.appliedAt,
      };
    case 'RestrictionLiftedForSubject':
      return {
        ...state,
        status: 'completed',
        documentIds: event.data.documentIds,
        completedAt: event.data.liftedAt,
      };
    case 'ErasureApproved':
      return {
        ...state,
        documentIds: event.data.documentIds,
        erasure: {
          approved: event.data.documentIds,
          kept: state.erasure?.kept ?? [],
          refusal: state.erasure?.refusal ?? null,
        },
      };
    case 'ErasureRefused':
      return {
        ...state,
        // Nothing approved: the refusal is the whole outcome.
        status: (state.erasure?.approved.length ?? 0) === 0 ? 'completed' : state.status,
        completedAt: (state.erasure?.approved.length ?? 0) === 0 ? state.receivedAt : state.completedAt,
        erasure: {
          approved: state.erasure?.approved ?? [],
          kept: event.data.overriddenBy,
          refusal: event.data.reason,
        },
      };
    case 'ErasureCompleted':
      return {
        ...state,
        status: 'completed',
        documentIds: event.data.documentIds,
        completedAt: event.data.completedAt,
      };
    case 'RectificationRecorded':
      return {
        ...state,
        status: 'completed',
        documentIds: [event.data.supersededId, event.data.correctedId],
        completedAt: event.data.recordedAt,
      };
    default:
      return assertNever(event, 'subject request event');
  }
}
