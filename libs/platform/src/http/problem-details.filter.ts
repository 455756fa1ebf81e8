import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AppLogger } from '../logging/app-logger';
import { Problem, PROBLEM_CONTENT_TYPE, problemType, withExtensions } from './problem';
import { problemForError } from './problem-for-error';
import { currentRequestContext } from './request-context';

/**
 * The one exception filter: every error leaves as RFC 9457 application/problem+json with the request's
 * correlation id. Server faults are logged here, once, with the stack; the client sees only the id.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  constructor(private readonly logger: AppLogger) {}

  catch(error: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw error;
    const http = host.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    const correlationId =
      (res.locals?.correlationId as string | undefined) ?? currentRequestContext()?.correlationId ?? 'none';
    const parts = problemForError(error);

    if (parts.serverFault) {
      this.logger.error('request failed', {
        err: error,
        correlationId,
        status: parts.status,
        method: req.method,
      });
    }
    if (res.headersSent) {
      // A streamed body already started: the status is gone, so cut the connection rather than end cleanly.
      res.destroy();
      return;
    }
    const problem: Problem = withExtensions(
      {
        type: problemType(parts.code),
        title: parts.title,
        status: parts.status,
        detail: parts.detail,
        instance: req.path ?? req.url?.split('?')[0] ?? '/',
        correlationId,
      },
      parts.extra,
    );
    if (parts.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(parts.retryAfterSeconds));
    res.status(parts.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
  }
}
