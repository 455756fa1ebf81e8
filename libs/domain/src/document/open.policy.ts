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
}

export interface OpenContext {
  now: Date;
  user: OpeningUser;
  /** The agreement the document was shared under, folded from its stream. */
  agreement: AgreementState;
  client: { ip: string; country: string };
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
  { now, user, agreement, client }: OpenContext,
): DocumentRefusal | undefined {
  const { senderOrg, recipients } = state.document;
  const member = user.orgId !== null && (user.orgId === senderOrg || recipients.includes(user.orgId));
  if (!member) return refuse('open.not-a-recipient');
  // After membership, so a suspended outsider learns no more about the document than any outsider.
  if (user.suspended) return refuse('open.user-suspended');
  if (state.erased) return refuse('open.document-erased');
  if (state.payloadDestroyed) return refuse('open.payload-destroyed');
  if (state.restricted) return refuse('open.processing-restricted');
  if (isTerminatedAt(agreement, now)) return refuse('open.agreement-terminated');
  if (agreement.status === 'suspended') return refuse('open.agreement-suspended');
  // From its withdrawal a party opens nothing more under the agreement (docs/architecture.md §26).
  if (hasWithdrawnAt(agreement, user.orgId!, now)) return refuse('open.party-withdrawn');
  // Clause 7.0: the terms in force may require recent data-protection training to open.
  if (agreement.status !== 'none') {
    const terms = agreement.activeTerms ?? currentTerms(agreement);
    if (!trainingCurrent(terms, user.trainedOn, now)) return refuse('training.required');
  }
  if (client.country !== 'GB') return block('transfer.client-outside-uk', client.country || 'unknown');
  return undefined;
}
