import { CodedError, CodedErrorExtra } from '../shared/coded-error';

type Entry = readonly [status: 401 | 409, title: string];

/** Refusals of the session stream's decider; the api answers a dead session as unauthenticated. */
export const SESSION_ERRORS = {
  'session.already-started': [409, 'Session already started'],
  'session.not-live': [401, 'No live session'],
} as const satisfies Record<string, Entry>;

export type SessionErrorCode = keyof typeof SESSION_ERRORS;

export class SessionError extends CodedError<SessionErrorCode> {
  constructor(code: SessionErrorCode, detail?: string, extra?: CodedErrorExtra) {
    super('SessionError', SESSION_ERRORS, code, detail, extra);
  }
}

export const isSessionError = (error: unknown): error is SessionError => error instanceof SessionError;
