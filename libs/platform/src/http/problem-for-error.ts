import { HttpException } from '@nestjs/common';
import {
  DuplicateEventIdError,
  EventStoreUnavailableError,
  WrongExpectedRevisionError,
} from '@accord/event-store';
import { ProjectionWaitTimeoutError } from '@accord/projections';
import { codeAndTitleFor } from './problem';

/** What the filter needs to answer an error: everything but the request's own path and correlation id. */
export interface ProblemParts {
  status: number;
  code: string;
  title: string;
  detail: string;
  extra?: unknown;
  /** Set when the server, not the client, is at fault: log it with its stack. */
  serverFault?: boolean;
  retryAfterSeconds?: number;
}

const INTERNAL_DETAIL = 'An unexpected error occurred. Quote the correlation id when reporting it.';

/**
 * Classifies any thrown value into a problem. The rule that matters: a client's mistake is a 4xx with a
 * useful detail; anything we did not anticipate is a 500 that tells the client nothing but the correlation
 * id, so no message, stack or data leaks.
 */
export function problemForError(error: unknown): ProblemParts {
  if (error instanceof HttpException) return fromHttpException(error);
  if (error instanceof WrongExpectedRevisionError) {
    return {
      status: 409,
      code: 'concurrency-conflict',
      title: 'Concurrency conflict',
      detail:
        'The resource changed while this request was handled. Retry it (with the same Idempotency-Key).',
    };
  }
  if (error instanceof DuplicateEventIdError) {
    return {
      status: 422,
      code: 'idempotency-key-reused',
      title: 'Idempotency-Key reused',
      detail: 'This Idempotency-Key was already used for a different request.',
    };
  }
  if (error instanceof EventStoreUnavailableError || error instanceof ProjectionWaitTimeoutError) {
    return { ...unavailable(), serverFault: true };
  }
  if (isCodedError(error)) {
    const serverFault = error.status >= 500;
    const title = typeof error.title === 'string' ? error.title : codeAndTitleFor(error.status)[1];
    const detail = serverFault
      ? INTERNAL_DETAIL
      : typeof error.detail === 'string'
        ? error.detail
        : error.message;
    return {
      status: error.status,
      code: error.code,
      title,
      detail,
      extra: serverFault ? undefined : error.extra,
      serverFault,
    };
  }
  const fromParser = bodyParserProblem(error);
  if (fromParser) return fromParser;
  return {
    status: 500,
    code: 'internal',
    title: 'Internal error',
    detail: INTERNAL_DETAIL,
    serverFault: true,
  };
}

/** Our errors and the domain's: a stable string `code` and an HTTP `status`, whatever their class. */
interface CodedError extends Error {
  code: string;
  status: number;
  title?: unknown;
  detail?: unknown;
  extra?: unknown;
}

function isCodedError(error: unknown): error is CodedError {
  if (!(error instanceof Error)) return false;
  const e = error as Partial<CodedError>;
  return typeof e.code === 'string' && Number.isInteger(e.status) && e.status! >= 400 && e.status! <= 599;
}

function fromHttpException(error: HttpException): ProblemParts {
  const status = error.getStatus();
  const [code, title] = codeAndTitleFor(status);
  if (status >= 500)
    return status === 503
      ? { ...unavailable(), serverFault: true }
      : { status, code, title, detail: INTERNAL_DETAIL, serverFault: true };
  const body = error.getResponse();
  const message = typeof body === 'string' ? body : (body as { message?: unknown }).message;
  let detail = Array.isArray(message)
    ? message.filter((m) => typeof m === 'string').join('; ')
    : typeof message === 'string'
      ? message
      : '';
  // Nest's own 404 for an unknown route ("Cannot GET /x"): the path is already the problem's `instance`.
  if (status === 404 && /^Cannot [A-Z]+ /.test(detail)) detail = 'There is no resource at this address.';
  return { status, code, title, detail: detail || title };
}

/**
 * body-parser errors (http-errors with a `type`), should one reach the filter untranslated. A JSON syntax
 * error's message quotes the body, so it is never passed on.
 */
function bodyParserProblem(error: unknown): ProblemParts | undefined {
  const e = error as { type?: unknown; status?: unknown; expose?: unknown };
  if (
    error === null ||
    typeof error !== 'object' ||
    typeof e.type !== 'string' ||
    typeof e.status !== 'number'
  )
    return undefined;
  if (e.status < 400 || e.status > 499) return undefined;
  if (e.type === 'entity.parse.failed')
    return {
      status: 400,
      code: 'malformed-json',
      title: 'Malformed JSON',
      detail: 'The request body is not valid JSON.',
    };
  const [code, title] = codeAndTitleFor(e.status);
  return { status: e.status, code, title, detail: title };
}

function unavailable(): ProblemParts {
  return {
    status: 503,
    code: 'service-unavailable',
    title: 'Service unavailable',
    detail: 'A backing service is unavailable. Retry later (with the same Idempotency-Key).',
    retryAfterSeconds: 1,
  };
}
