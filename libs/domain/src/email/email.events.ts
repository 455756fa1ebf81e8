import { Event } from '../shared/decider';

/**
 * Stream `email-{notificationId}`: one notice emailed to one user (docs/architecture.md §27). The id derives
 * from what caused it (the event id, or the reminder's key) and the recipient, so every node and every replay
 * names the same email the same way; it is also the Message-ID, on which a receiving server de-duplicates.
 *
 * No event holds the recipient's address (personal data, and it would outlive a change of address in an
 * immutable log): it is looked up from `recipientUserId` when the message is built.
 */
export type EmailKind =
  | 'document-received'
  | 'document-destroyed'
  | 'document-superseded'
  | 'document-revoked'
  | 'signature-requested'
  | 'agreement-activated'
  | 'agreement-terminated'
  | 'breach-reported'
  | 'review-reminder'
  | 'breach-ico-24-hours';

export const EMAIL_KINDS: readonly EmailKind[] = [
  'document-received',
  'document-destroyed',
  'document-superseded',
  'document-revoked',
  'signature-requested',
  'agreement-activated',
  'agreement-terminated',
  'breach-reported',
  'review-reminder',
  'breach-ico-24-hours',
];

/** What the message points at: ids only, from which the link and the agreement's title are found. */
export type EmailRefs = {
  agreementId?: string;
  documentId?: string;
  breachId?: string;
  /** A date the message states (a review's due date, the ICO deadline). */
  dueAt?: string;
};

/** Claimed before the SMTP transaction: a second dispatcher racing for it loses the append and sends nothing. */
export type EmailAttempted = Event<
  'EmailAttempted',
  {
    notificationId: string;
    kind: EmailKind;
    recipientUserId: string;
    refs: EmailRefs;
    attempt: number;
    attemptedAt: string;
  }
>;

/** The SMTP server accepted the message; `messageId` is what it was sent with (stable across attempts). */
export type EmailSent = Event<
  'EmailSent',
  {
    notificationId: string;
    kind: EmailKind;
    recipientUserId: string;
    messageId: string;
    attempt: number;
    sentAt: string;
  }
>;

/** Refused or unreachable: an SMTP reply `code`, or an `error` code; `nextAttemptAt` unless it was the last. */
export type EmailFailed = Event<
  'EmailFailed',
  { attempt: number; code?: number; error?: string; failedAt: string; nextAttemptAt?: string }
>;

export type EmailAbandonReason = 'attempts-exhausted' | 'recipient-gone';

/** No more attempts: every one failed, or the recipient has no address any more (suspended, unknown). */
export type EmailAbandoned = Event<
  'EmailAbandoned',
  { attempts: number; reason: EmailAbandonReason; abandonedAt: string }
>;

export type EmailEvent = EmailAttempted | EmailSent | EmailFailed | EmailAbandoned;

export const EMAIL_EVENT_TYPES = [
  'EmailAttempted',
  'EmailSent',
  'EmailFailed',
  'EmailAbandoned',
] as const satisfies readonly EmailEvent['type'][];
