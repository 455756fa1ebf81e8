import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { AppLogger, currentRequestContext, problemForError } from '@accord/platform';
import { UiLoginRequired, UiRefused, UiRequest } from './audit-ui.guard';
import { renderErrorPage, sendPage } from './audit-ui.html';
import { clearSessionCookie } from '../../auth';
import { LOGIN_PATH } from './audit-ui.login-nonce';

/** What a page says about an error: a client's mistake in words, anything else by correlation id only. */
export function pageProblemOf(
  error: unknown,
  correlationId?: string,
): { status: number; title: string; detail: string } {
  if (error instanceof UiRefused) return error;
  const parts = problemForError(error);
  if (parts.status < 500) return parts;
  const id = correlationId ?? currentRequestContext()?.correlationId ?? 'none';
  return {
    status: parts.status,
    title: 'Something went wrong',
    detail: `The audit view could not answer. Quote reference ${id} when reporting it.`,
  };
}

/**
 * The audit view's errors are pages, not problem+json: no session is a 303 to the login form, a refusal
 * or bad input is a page with its status, a fault a page with the correlation id and no stack. Bound to
 * the UI controllers only, it takes precedence there over the global ProblemDetailsFilter.
 */
@Catch()
export class AuditUiFilter implements ExceptionFilter {
  constructor(private readonly logger: AppLogger) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const res = http.getResponse<Response>();
    const req = http.getRequest<UiRequest>();
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (error instanceof UiLoginRequired) {
      if (error.clearCookie) clearSessionCookie(res);
      res.setHeader('Cache-Control', 'no-store');
      res.redirect(303, LOGIN_PATH);
      return;
    }
    const problem = pageProblemOf(error, res.locals?.correlationId as string | undefined);
    if (problem.status >= 500) {
      this.logger.error('audit ui request failed', {
        err: error,
        status: problem.status,
        method: req.method,
      });
    }
    const ctx = req.auditUi;
    const signed = ctx ? { label: labelOf(ctx.caller), csrf: ctx.session.csrfToken } : undefined;
    sendPage(res, problem.status, renderErrorPage(problem.title, problem.detail, signed));
  }
}

export function labelOf(caller: { role: string; orgId: string | null }): string {
  return caller.orgId === null ? `${caller.role} (platform)` : `${caller.role}, ${caller.orgId}`;
}
