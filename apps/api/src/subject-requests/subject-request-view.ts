import type { ExistingSubjectRequest } from '@accord/domain';
import type { SubjectRequestViewDto } from './subject-request.dto';

function outcomeOf(s: ExistingSubjectRequest): string {
  if (s.status !== 'completed') return 'in-progress';
  switch (s.kind) {
    case 'access':
      return 'provided';
    case 'restriction':
      return 'restricted';
    case 'lift-restriction':
      return 'lifted';
    case 'rectification':
      return 'rectified';
    case 'erasure': {
      const erased = s.erasure?.approved.length ?? 0;
      const kept = s.erasure?.kept.length ?? 0;
      if (kept === 0) return erased === 0 ? 'nothing-to-erase' : 'erased';
      return erased === 0 ? 'refused' : 'partially-erased';
    }
  }
}

/** The request and its outcome; never the subject's identifier (the stream holds only its HMAC). */
export function viewOf(id: string, s: ExistingSubjectRequest): SubjectRequestViewDto {
  return {
    id,
    kind: s.kind,
    status: s.status,
    outcome: outcomeOf(s),
    orgId: s.orgId,
    reason: s.reason,
    receivedAt: s.receivedAt,
    completedAt: s.completedAt,
    documentIds: s.kind === 'erasure' ? (s.erasure?.approved ?? []) : s.documentIds,
    erasure:
      s.kind === 'erasure'
        ? {
            // Listed as erased only once every approved document's payload is gone.
            erased: s.status === 'completed' ? (s.erasure?.approved ?? []) : [],
            kept: s.erasure?.kept ?? [],
            refusal: s.erasure?.refusal ?? null,
          }
        : null,
    rectification:
      s.kind === 'rectification' && s.documentId && s.correctedDocumentId
        ? { supersededId: s.documentId, correctedId: s.correctedDocumentId }
        : null,
    report: s.kind === 'access' ? `/subject-requests/${id}/report` : null,
    redirectTo: s.redirectTo ?? [],
  };
}
