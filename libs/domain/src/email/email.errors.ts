import { CodedError, CodedErrorExtra } from '../shared/coded-error';

/** Refusals of the email stream's decider; they never reach HTTP (the dispatcher reads them as "someone else did it"). */
type Entry = readonly [status: 409, title: string];

export const EMAIL_ERRORS = {
  'email.finished': [409, 'Email already sent or abandoned'],
  'email.not-due': [409, 'Email retry not due yet'],
  'email.in-progress': [409, 'Email attempt in progress'],
  'email.stale': [409, 'Email outcome for an attempt that is not the current one'],
} as const satisfies Record<string, Entry>;

export type EmailErrorCode = keyof typeof EMAIL_ERRORS;

export class EmailError extends CodedError<EmailErrorCode> {
  constructor(code: EmailErrorCode, detail?: string, extra?: CodedErrorExtra) {
    super('EmailError', EMAIL_ERRORS, code, detail, extra);
  }
}

export const emailFail = (code: EmailErrorCode): EmailError => new EmailError(code);

export const isEmailError = (error: unknown): error is EmailError => error instanceof EmailError;
