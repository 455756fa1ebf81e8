import { type AgreementState, hasWithdrawnAt } from '../agreement/agreement.state';
import { termsInForce, TermsInForce } from '../agreement/agreement.queries';
import { type AgreementTerms, trainingCurrent } from '../agreement/agreement.terms';
import { nonBlank, outside, unique } from '../shared/text';
import { parseDateOnly, parseInstant } from '../shared/time';
import {
  DataCategory,
  isCriminalOffence,
  isDataCategory,
  isSpecialCategory,
} from '../vocabularies/data-categories';
import { addIsoDuration } from '../vocabularies/iso-duration';
import { isUk } from '../vocabularies/jurisdictions';
import { isArt9, isSchedule1OrPart3 } from '../vocabularies/lawful-bases';
import { block, DocumentRefusal, DocumentRefusalCode, refuse } from './document.errors';

/** Who asks to share, as the edge resolved the caller. */
export interface SharingUser {
  userId: string;
  /** Null for the platform admin. */
  orgId: string | null;
  role: string;
  active: boolean;
  acceptedAccessAgreement: boolean;
  /** The latest data-protection training completed (`YYYY-MM-DD`), if any (clause 7.0). */
  trainedOn?: string;
}

/** What the share policy needs about a party organisation (from the directory). */
export interface PartyOrganisation {
  jurisdiction: string;
  /** Keys a new share may be encrypted to now: not revoked, not expired, passing the key rules. */
  activeKeyFingerprints: readonly string[];
}

export interface ShareRequest {
  agreementId: string;
  recipients: readonly string[];
  purpose: string;
  dataCategories: readonly string[];
  /** A shorter retention than the agreement's may be asked for; ISO-8601 date or instant. */
  retainUntil?: string | undefined;
}

export interface ShareContext {
  now: Date;
  user: SharingUser;
  /** The agreement's folded state, read from the event store. */
  agreement: AgreementState;
  /** The recipients (and the sender) by id; undefined when not registered. */
  organisations: Readonly<Record<string, PartyOrganisation | undefined>>;
  storageRegion: string;
  ukStorageRegions: readonly string[];
  client: { ip: string; country: string };
}

/** What a share that passed every rule before its payload is read will record. */
export interface ApprovedShare {
  agreementId: string;
  agreementVersion: number;
  senderOrg: string;
  recipients: string[];
  purpose: string;
  dataCategories: DataCategory[];
  retainUntil: string;
  /** docs/architecture.md §9.1: an overdue review does not stop a share, but every response flags it. */
  reviewOverdue: boolean;
  /** Active keys by recipient: the message must be to exactly these (the sender's own allowed besides). */
  recipientKeys: Record<string, string[]>;
}

export type ShareVerdict =
  { allowed: true; share: ApprovedShare } | { allowed: false; refusal: DocumentRefusal };

/** Who may share at all: the role alone decides it, so the edge may ask before reading an upload. */
export const SHARING_ROLES: readonly string[] = ['practitioner', 'ig-lead'];

export function shareRoleRefusal(role: string): DocumentRefusal | undefined {
  return SHARING_ROLES.includes(role) ? undefined : refuse('share.user-role');
}
/** Only ids and vocabulary codes are echoed back; anything else a caller typed becomes this marker. */
const safeId = (v: string): string => (/^[A-Za-z0-9._-]{1,64}$/.test(v) ? v : '(not an id)');
const collapse = (v: string): string | undefined => nonBlank(v)?.replace(/\s+/g, ' ');

const NOT_IN_FORCE: Record<Exclude<TermsInForce, { inForce: true }>['reason'], DocumentRefusalCode> = {
  'agreement.not-found': 'share.agreement-not-found',
  'agreement.not-active': 'share.agreement-not-active',
  'agreement.suspended': 'share.agreement-suspended',
  'agreement.terminated': 'share.agreement-terminated',
};

/**
 * docs/architecture.md §9, every rule that does not need the payload, in order: (1) the agreement is in
 * force, (2) sender, recipients and user, (3) purpose and data categories with their conditions, (4) UK-only
 * (a refusal here is a TransferBlocked), (5) every recipient has a key to encrypt to, (6) retention. The
 * first broken rule is the answer. Rule 5's check of the message itself is `evaluatePayloadRecipients`.
 */
export function evaluateShare(request: ShareRequest, context: ShareContext): ShareVerdict {
  try {
    return { allowed: true, share: approve(request, context) };
  } catch (error) {
    if (error instanceof DocumentRefusal) return { allowed: false, refusal: error };
    throw error;
  }
}

function approve(request: ShareRequest, context: ShareContext): ApprovedShare {
  const { now, user } = context;
  // Rule 1: the version in force governs; an amendment awaiting signatures does not.
  const inForce = termsInForce(context.agreement, now);
  if (!inForce.inForce) throw refuse(NOT_IN_FORCE[inForce.reason]);
  const { terms } = inForce;

  // Rule 2.
  const wrongRole = shareRoleRefusal(user.role);
  if (wrongRole) throw wrongRole;
  if (!user.active) throw refuse('share.user-suspended');
  if (!user.acceptedAccessAgreement) throw refuse('share.access-agreement-not-accepted');
  const senderOrg = user.orgId;
  if (senderOrg === null || !terms.parties.includes(senderOrg)) throw refuse('share.sender-not-party');
  // A party that has withdrawn neither sends nor receives under the agreement (docs/architecture.md §28).
  if (hasWithdrawnAt(context.agreement, senderOrg, now)) throw refuse('share.party-withdrawn');
  if (!trainingCurrent(terms, user.trainedOn, now)) throw refuse('training.required');
  const recipients = checkRecipients(request.recipients, senderOrg, terms, context);

  // Rule 3.
  const purpose = collapse(request.purpose);
  if (!purpose || !terms.purposes.includes(purpose)) throw refuse('share.purpose-not-permitted');
  const dataCategories = checkCategories(request.dataCategories, terms);

  // Rule 4: UK-only covers who receives, where it is stored, and where the request comes from.
  for (const id of recipients) {
    const jurisdiction = context.organisations[id]!.jurisdiction;
    if (!isUk(jurisdiction))
      throw block('transfer.recipient-outside-uk', jurisdiction, undefined, { recipient: id });
  }
  const region = context.storageRegion.toLowerCase();
  if (!context.ukStorageRegions.map((r) => r.toLowerCase()).includes(region))
    throw block('transfer.storage-region-not-uk', region || 'unknown');
  if (context.client.country !== 'GB')
    throw block('transfer.client-outside-uk', context.client.country || 'unknown');

  // Rule 5, the part known before the payload: someone to encrypt to.
  const recipientKeys: Record<string, string[]> = {};
  const keyless = recipients.filter((id) => context.organisations[id]!.activeKeyFingerprints.length === 0);
  if (keyless.length > 0) throw refuse('share.recipient-has-no-key', undefined, { recipients: keyless });
  for (const id of recipients) recipientKeys[id] = [...context.organisations[id]!.activeKeyFingerprints];

  // Rule 6.
  const retainUntil = retainUntilFor(request.retainUntil, terms, now);
  return {
    agreementId: request.agreementId,
    agreementVersion: inForce.version,
    senderOrg,
    recipients,
    purpose,
    dataCategories,
    retainUntil,
    reviewOverdue: inForce.reviewOverdue,
    recipientKeys,
  };
}

function checkRecipients(
  requested: readonly string[],
  senderOrg: string,
  terms: AgreementTerms,
  context: ShareContext,
): string[] {
  const recipients = unique(requested.map((r) => nonBlank(r)).filter((r): r is string => r !== undefined));
  if (recipients.length === 0) throw refuse('share.recipients-required');
  if (recipients.includes(senderOrg)) throw refuse('share.recipient-is-sender');
  const strangers = outside(recipients, terms.parties);
  if (strangers.length > 0)
    throw refuse('share.recipient-not-party', undefined, { recipients: strangers.map(safeId) });
  const unregistered = recipients.filter((id) => context.organisations[id] === undefined);
  if (unregistered.length > 0)
    throw refuse('share.recipient-not-registered', undefined, { recipients: unregistered });
  const withdrawn = recipients.filter((id) => hasWithdrawnAt(context.agreement, id, context.now));
  if (withdrawn.length > 0) throw refuse('share.recipient-withdrawn', undefined, { recipients: withdrawn });
  return recipients;
}

function checkCategories(requested: readonly string[], terms: AgreementTerms): DataCategory[] {
  const declared = unique(requested.map((c) => nonBlank(c)).filter((c): c is string => c !== undefined));
  if (declared.length === 0) throw refuse('share.categories-required');
  const notPermitted = outside<string>(declared, terms.dataCategories);
  if (notPermitted.length > 0) {
    throw refuse('share.category-not-permitted', undefined, {
      dataCategories: notPermitted.map((c) => (isDataCategory(c) ? c : '(not a category)')),
    });
  }
  const categories = declared as DataCategory[];
  // The agreement's own validation holds these too; checked again because the share is the processing.
  const special = categories.filter(isSpecialCategory);
  if (special.length > 0 && !terms.lawfulBases.some(isArt9))
    throw refuse('share.special-category-without-art9', undefined, { dataCategories: special });
  const criminal = categories.filter(isCriminalOffence);
  if (criminal.length > 0 && !terms.lawfulBases.some(isSchedule1OrPart3))
    throw refuse('share.criminal-offence-without-condition', undefined, { dataCategories: criminal });
  return categories;
}

/** sharedAt + the agreement's retention period, or the earlier date asked for (UK GDPR Art 5(1)(e)). */
export function retainUntilFor(requested: string | undefined, terms: AgreementTerms, now: Date): string {
  const limit = addIsoDuration(now, terms.retentionPeriod);
  if (!limit)
    throw refuse('share.retain-until-invalid', "the agreement's retention period cannot be applied");
  if (requested === undefined) return limit.toISOString();
  const asked = parseInstant(requested) ?? parseDateOnly(requested);
  if (!asked || asked.getTime() <= now.getTime())
    throw refuse(
      'share.retain-until-invalid',
      'retainUntil must be an ISO-8601 date or instant in the future',
    );
  if (asked.getTime() > limit.getTime()) {
    throw refuse('share.retention-longer-than-agreement', undefined, {
      retentionPeriod: terms.retentionPeriod,
      latestRetainUntil: limit.toISOString(),
    });
  }
  return asked.toISOString();
}

/** The recipients of a pre-encrypted message, as libs/crypto's checkRecipients found them. */
export interface PayloadRecipientCheck {
  ok: boolean;
  missing: readonly string[];
  unexpected: readonly string[];
  passwordCount: number;
}

/**
 * Rule 5 on the message itself: exactly the recipients' active keys (the sender's own allowed too). `detail`
 * says why, when the check is made again after the upload (a key revoked while it streamed).
 */
export function evaluatePayloadRecipients(
  check: PayloadRecipientCheck,
  detail = "encrypt to exactly the recipients' active keys",
): DocumentRefusal | undefined {
  if (check.ok) return undefined;
  return refuse('share.recipients-mismatch', detail, {
    missing: [...check.missing],
    unexpected: [...check.unexpected],
    passwordRecipients: check.passwordCount,
  });
}
