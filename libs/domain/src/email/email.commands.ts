import { Command } from '../shared/decider';
import { EmailKind, EmailRefs } from './email.events';

export interface EmailRetrySettings {
  maxAttempts: number;
  retryBaseMs: number;
}

/** Claim the next attempt of the notice. */
export type AttemptEmail = Command<
  'AttemptEmail',
  { notificationId: string; kind: EmailKind; recipientUserId: string; refs: EmailRefs } & EmailRetrySettings
>;

/** The outcome of the attempt claimed: accepted with `messageId`, or an SMTP `code` / `error` code. */
export type RecordEmailOutcome = Command<
  'RecordEmailOutcome',
  { attempt: number; messageId?: string; code?: number; error?: string } & EmailRetrySettings
>;

export type AbandonEmail = Command<'AbandonEmail', { reason: 'recipient-gone' }>;

export type EmailCommand = AttemptEmail | RecordEmailOutcome | AbandonEmail;
