import type { AgreementState } from '../agreement/agreement.state';
import { currentTerms, hasWithdrawnAt, isTerminatedAt } from '../agreement/agreement.state';
import { trainingCurrent } from '../agreement/agreement.terms';
import { block, DocumentRefusal, refuse } from './document.errors';
import type { DocumentState } from './document.state';

export interface OpeningUser {
  userId: string;
  /** The latest data-protection training completed (`YYYY-MM-DD`), if any (clause 7.0). */
  trainedOn?: string;
  /** Null for the platform admin. */
  orgId: string | null;
  role: string;
  /**
   * A suspended user's attempt reaches the policy only to be recorded (docs/architecture.md §10, breach
   * containment).
   */
  suspended?: boolean;
  /**
   * The API token the request came with (none for a caller without one). An open waits for its round, and
   * a token revoked meanwhile must not open (`tokenRevoked`, read again from the user's stream).
   */
  tokenId?: string;
  tokenRevoked?: boolean;
  /**
   * The teams of the user's organisation the user belongs to now, read from the organisation's stream
   * (docs/architecture.md §24). Absent: none.
   */
  teams?: readonly string[];
}

export interface OpenContext {
  now: Date;
  user: OpeningUser;
  /** The agreement the document was shared under, folded from its stream. */
  agreement: AgreementState;
  client: { ip: string; country: string };
  /** The purpose the user states for this open (`?purpose=`), docs/architecture.md §26. */
  purpose?: string;
}

export type OpenVerdict = { allowed: true } | { allowed: false; refusal: DocumentRefusal };

/** Admins operate the platform and auditors read the audit trail: neither ever sees content. */
const CONTENT_ROLES = ['practitioner', 'ig-lead'];

/**
 * docs/architecture.md §10, opening a document (GET /documents/:id/content): a user of a recipient or of the
 * sender organisation, in a role that sees content; the document neither erased, destroyed nor restricted;
 * its agreement neither terminated nor suspended; the client in the UK (remote access from abroad is a
 * restricted transfer, docs/architecture.md §19.2). Membership is checked before the document's condition,
 * and an outsider's refusal answers as `document.not-found`, so they learn nothing about it. A document never
 * shared is `document.not-found` with nothing to record it on.
 */
export function evaluateOpen(document: DocumentState, context: OpenContext): OpenVerdict {
  // The role first: an admin or auditor gets the same 403 whether or not the id exists.
  if (!CONTENT_ROLES.includes(context.user.role))
    return { allowed: false, refusal: refuse('open.role-not-permitted') };
  if (document.status === 'none') return { allowed: false, refusal: refuse('document.not-found') };
  const refusal = firstRefusal(document, context);
  return refusal ? { allowed: false, refusal } : { allowed: true };
}

function firstRefusal(
  state: Exclude<DocumentState, { status: 'none' }>,
  { now, user, agreement, client, purpose }: OpenContext,
): DocumentRefusal | undefined {
  const { senderOrg, recipients } = state.document;
  const member = user.orgId !== null && (user.orgId === senderOrg || recipients.includes(user.orgId));
  if (!member) return refuse('open.not-a-recipient');
  if (!isAddressed(state.document, user)) return refuse('open.not-addressed');
  // After membership, so a suspended outsider learns no more about the document than any outsider.
  if (user.suspended) return refuse('open.user-suspended');
  if (user.tokenRevoked) return refuse('open.token-revoked');
  // Before erased and destroyed: a revoked document's payload is destroyed next, and the answer stays why.
  if (state.revoked) return refuse('open.revoked');
  if (state.erased) return refuse('open.document-erased');
  if (state.payloadDestroyed) return refuse('open.payload-destroyed');
  if (state.restricted) return refuse('open.processing-restricted');
  if (isTerminatedAt(agreement, now)) return refuse('open.agreement-terminated');
  if (agreement.status === 'suspended') return refuse('open.agreement-suspended');
  // From its withdrawal a party opens nothing more under the agreement (docs/architecture.md §28).
  if (hasWithdrawnAt(agreement, user.orgId!, now)) return refuse('open.party-withdrawn');
  // Clause 7.0: the terms in force may require recent data-protection training to open.
  if (agreement.status !== 'none') {
    const terms = agreement.activeTerms ?? currentTerms(agreement);
    if (!trainingCurrent(terms, user.trainedOn, now)) return refuse('training.required');
  }
  if (client.country !== 'GB') return block('transfer.client-outside-uk', client.country || 'unknown');
  return purposeRefusal(state.document.purpose, agreement, purpose);
}

/**
 * Need-to-know (docs/architecture.md §24): in a recipient organisation the document was addressed to teams,
 * only their members open it or read its metadata. The sender's organisation keeps today's rule (it holds
 * the record it sent); an organisation with no teams named receives it whole.
 */
export function isAddressed(
  document: { senderOrg: string; recipientTeams?: Record<string, string[]> },
  user: Pick<OpeningUser, 'orgId' | 'teams'>,
): boolean {
  if (user.orgId === null || user.orgId === document.senderOrg) return true;
  const addressed = document.recipientTeams?.[user.orgId];
  if (addressed === undefined) return true;
  return addressed.some((teamId) => (user.teams ?? []).includes(teamId));
}

/**
 * Caldicott purpose confirmation (docs/architecture.md §26): when the agreement in force requires it, an open
 * states the document's purpose; a stated purpose is checked whether or not it is required, so what
 * DocumentAccessed records is always true.
 */
function purposeRefusal(
  documentPurpose: string,
  agreement: AgreementState,
  stated: string | undefined,
): DocumentRefusal | undefined {
  const given = stated?.trim().replace(/\s+/g, ' ');
  if (given !== undefined && given !== '' && given !== documentPurpose) {
    return refuse('open.purpose-required', "the stated purpose is not the document's purpose");
  }
  if ((given === undefined || given === '') && requiresPurposeConfirmation(agreement)) {
    return refuse('open.purpose-required');
  }
  return undefined;
}

export function requiresPurposeConfirmation(agreement: AgreementState): boolean {
  if (agreement.status === 'none') return false;
  const terms = agreement.activeTerms ?? currentTerms(agreement);
  return terms.requirePurposeConfirmation === true;
}
