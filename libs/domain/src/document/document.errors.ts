/**
 * Refusals about documents: sharing (docs/architecture.md §9), opening (§10), subjects. Each code is stable
 * and is the problem `type`; `records` says which event the refusal appends (every authorisation decision is
 * an event, ASVS level 3), `none` for malformed input that decides nothing. Same shape as DomainError (code,
 * status, title, detail, extra), so the one problem filter renders both. `extra` carries codes and ids only.
 */
export type RefusalRecord = 'AccessDenied' | 'TransferBlocked' | 'none';

type Entry = readonly [status: 403 | 404 | 409 | 410 | 422 | 428, record: RefusalRecord, title: string];

export const DOCUMENT_REFUSALS = {
  'share.agreement-not-found': [404, 'AccessDenied', 'Agreement not found'],
  'share.agreement-not-active': [409, 'AccessDenied', 'Agreement not in force'],
  'share.agreement-suspended': [409, 'AccessDenied', 'Agreement suspended'],
  'share.agreement-terminated': [409, 'AccessDenied', 'Agreement terminated'],
  'share.user-role': [403, 'AccessDenied', 'Only practitioners and IG leads share documents'],
  'share.user-suspended': [403, 'AccessDenied', 'User suspended'],
  'share.access-agreement-not-accepted': [403, 'AccessDenied', 'Access agreement not accepted'],
  'share.sender-not-party': [403, 'AccessDenied', "The sender's organisation is not a party"],
  'share.recipients-required': [422, 'AccessDenied', 'At least one recipient organisation required'],
  'share.recipient-is-sender': [422, 'AccessDenied', 'The sender cannot be a recipient'],
  'share.recipient-not-party': [422, 'AccessDenied', 'A recipient is not a party to the agreement'],
  'share.recipient-not-registered': [422, 'AccessDenied', 'A recipient is not a registered organisation'],
  'share.purpose-not-permitted': [422, 'AccessDenied', 'Purpose not permitted by the agreement'],
  'share.categories-required': [422, 'AccessDenied', 'At least one data category required'],
  'share.category-not-permitted': [422, 'AccessDenied', 'Data category not permitted by the agreement'],
  'share.special-category-without-art9': [
    422,
    'AccessDenied',
    'Special-category data needs an Article 9 condition in the agreement',
  ],
  'share.criminal-offence-without-condition': [
    422,
    'AccessDenied',
    'Criminal-offence data needs a DPA 2018 Schedule 1 condition or Part 3 in the agreement',
  ],
  'transfer.recipient-outside-uk': [403, 'TransferBlocked', 'Recipient outside the UK'],
  'transfer.storage-region-not-uk': [403, 'TransferBlocked', 'Storage region not on the UK allow-list'],
  'transfer.client-outside-uk': [403, 'TransferBlocked', 'Client not in the UK'],
  'share.recipient-has-no-key': [422, 'AccessDenied', 'A recipient has no active encryption key'],
  'share.recipients-mismatch': [
    422,
    'AccessDenied',
    "The message is not encrypted to exactly the recipients' active keys",
  ],
  'share.payload-not-integrity-protected': [
    422,
    'AccessDenied',
    'Encrypted without integrity protection (no MDC or AEAD)',
  ],
  'share.payload-malformed': [
    422,
    'AccessDenied',
    'Not a well-formed encrypted OpenPGP message: PKESKs, then one SEIPD packet to the end',
  ],
  'share.payload-not-ciphertext': [422, 'AccessDenied', 'The encrypted data packet does not hold ciphertext'],
  'share.retention-longer-than-agreement': [
    422,
    'AccessDenied',
    "retainUntil is later than the agreement's retention period allows",
  ],
  'share.retain-until-invalid': [422, 'AccessDenied', 'retainUntil must be a future date'],
  'share.team-not-found': [
    422,
    'AccessDenied',
    'An addressed team is not a team of that recipient organisation',
  ],
  'share.team-org-not-recipient': [
    422,
    'AccessDenied',
    'recipientTeams names an organisation that is not a recipient',
  ],
  'share.party-withdrawn': [
    403,
    'AccessDenied',
    "The sender's organisation has withdrawn from the agreement",
  ],
  'share.recipient-withdrawn': [422, 'AccessDenied', 'A recipient has withdrawn from the agreement'],

  'open.role-not-permitted': [403, 'AccessDenied', 'Admins and auditors never open content'],
  'open.not-a-recipient': [404, 'AccessDenied', 'Document not found'],
  'open.user-suspended': [403, 'AccessDenied', 'This account is suspended; ask your IG lead'],
  'open.token-revoked': [403, 'AccessDenied', 'The API token this request came with has been revoked'],
  'open.document-erased': [410, 'AccessDenied', 'Document erased'],
  'open.payload-destroyed': [410, 'AccessDenied', 'Document payload destroyed'],
  'open.processing-restricted': [403, 'AccessDenied', 'Processing of this document is restricted'],
  'open.agreement-suspended': [403, 'AccessDenied', 'Agreement suspended'],
  'open.agreement-terminated': [403, 'AccessDenied', 'Agreement terminated'],
  'open.not-addressed': [403, 'AccessDenied', 'The document was addressed to teams you are not a member of'],
  'open.revoked': [410, 'AccessDenied', 'The sender revoked this document'],
  'open.purpose-required': [
    428,
    'AccessDenied',
    "The agreement requires the purpose of this open: state one of the document's purposes",
  ],

  'revocation.not-permitted': [
    403,
    'AccessDenied',
    "Only the sender or the sending organisation's IG lead revokes",
  ],
  'revocation.reason-required': [422, 'none', 'A reason is required'],
  'revocation.already-revoked': [409, 'none', 'The document is already revoked'],
  'revocation.payload-gone': [409, 'none', 'The payload was already destroyed or erased'],

  'metadata.role-not-permitted': [403, 'AccessDenied', 'Admins never read document metadata'],
  'metadata.not-a-party': [404, 'AccessDenied', 'Document not found'],
  'hold.not-a-party': [404, 'AccessDenied', 'Document not found'],
  'training.required': [
    403,
    'AccessDenied',
    'The agreement requires data-protection training completed recently; ask your IG lead to record it',
  ],
  'open.party-withdrawn': [403, 'AccessDenied', 'Your organisation has withdrawn from the agreement'],

  'document.not-found': [404, 'none', 'Document not found'],
  'document.already-shared': [409, 'none', 'Document already shared'],
  'document.payload-swept': [409, 'none', 'Upload outlived the orphan grace period; retry it'],
  'retention.hold-already-placed': [409, 'none', 'The document is already on legal hold'],
  'retention.hold-not-placed': [409, 'none', 'The document is not on legal hold'],
  'retention.already-expired': [
    409,
    'none',
    'Retention has expired; the document is being or has been destroyed',
  ],
  'retention.on-legal-hold': [409, 'none', 'The document is on legal hold'],
  'retention.not-due': [409, 'none', 'The retention period has not ended'],
  'retention.not-expired': [409, 'none', 'Retention has not expired'],
  'restriction.other-organisation': [
    409,
    'none',
    'The restriction was applied by another organisation; its IG lead lifts it',
  ],
  'document.already-superseded': [409, 'none', 'The document was already superseded by another'],
  'subject.scheme-invalid': [422, 'none', 'Unknown subject identifier scheme'],
  'subject.nhs-number-invalid': [422, 'none', 'Invalid NHS number'],
  'subject.value-invalid': [422, 'none', 'Invalid subject identifier'],
} as const satisfies Record<string, Entry>;

export type DocumentRefusalCode = keyof typeof DOCUMENT_REFUSALS;

/**
 * Refusals whose problem must not confirm that the document exists: the event keeps the real reason, the
 * caller reads the same answer as for an id that was never shared.
 */
const ANSWERED_AS: Partial<Record<DocumentRefusalCode, DocumentRefusalCode>> = {
  'open.not-a-recipient': 'document.not-found',
  'metadata.not-a-party': 'document.not-found',
  'hold.not-a-party': 'document.not-found',
};

export type DocumentRefusalExtra = Record<string, string | number | boolean | string[]>;

export class DocumentRefusal extends Error {
  /** The problem type the caller sees (usually `reason`). */
  readonly code: DocumentRefusalCode;
  readonly status: number;
  readonly title: string;
  readonly records: RefusalRecord;

  constructor(
    /** The stable code recorded in the event. */
    readonly reason: DocumentRefusalCode,
    readonly detail: string = DOCUMENT_REFUSALS[reason][2],
    readonly extra?: DocumentRefusalExtra,
    /** TransferBlocked only: where the data would have gone. */
    readonly destination?: string,
  ) {
    super(`${reason}: ${detail}`);
    this.name = 'DocumentRefusal';
    this.code = ANSWERED_AS[reason] ?? reason;
    this.status = DOCUMENT_REFUSALS[this.code][0];
    this.title = DOCUMENT_REFUSALS[this.code][2];
    this.records = DOCUMENT_REFUSALS[reason][1];
  }
}

export function refuse(
  reason: DocumentRefusalCode,
  detail?: string,
  extra?: DocumentRefusalExtra,
): DocumentRefusal {
  return new DocumentRefusal(reason, detail, extra);
}

/** A UK-only refusal: TransferBlocked with the destination the data would have reached. */
export function block(
  reason: Extract<DocumentRefusalCode, `transfer.${string}`>,
  destination: string,
  detail?: string,
  extra?: DocumentRefusalExtra,
): DocumentRefusal {
  return new DocumentRefusal(reason, detail, extra, destination);
}

export function isDocumentRefusal(error: unknown): error is DocumentRefusal {
  return error instanceof DocumentRefusal;
}
