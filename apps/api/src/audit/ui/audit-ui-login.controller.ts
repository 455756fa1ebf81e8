import { Controller, Get, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { hashApiToken, isApiTokenShape } from '@accord/platform';
import { DirectoryReadModel } from '@accord/projections';
import {
  AuthFailures,
  callerOfTokenHash,
  Public,
  sameSecret,
  Sessions,
  sessionSecretOf,
  setSessionCookie,
} from '../../auth';
import { AuditUiFilter } from './audit-ui.filter';
import { readForm } from './audit-ui.form';
import { uiRefusalOf } from './audit-ui.guard';
import { renderLoginPage, sendPage } from './audit-ui.html';
import { clearLoginNonce, issueLoginNonce, loginNonceOf, UI_PATH } from './audit-ui.login-nonce';

/**
 * The audit view's sign-in: the API token is typed once into a form, checked as the bearer guard checks
 * it (same lookup, then the audit roles and the access agreement), and exchanged for a browser session,
 * the same as POST /session makes (docs/architecture.md §34): the HttpOnly, Secure, SameSite=Strict
 * `accord_session` cookie. @Public() to the bearer guard: a browser sends no Authorization header. HTML
 * only, so excluded from the OpenAPI document (and the authz matrix).
 */
@ApiExcludeController()
@Public()
@UseFilters(AuditUiFilter)
@Controller('audit/ui')
export class AuditUiLoginController {
  constructor(
    private readonly sessions: Sessions,
    private readonly directory: DirectoryReadModel,
    private readonly failures: AuthFailures,
  ) {}

  @Get('login')
  async form(@Req() req: Request, @Res() res: Response): Promise<void> {
    const secret = sessionSecretOf(req);
    const session = secret && (await this.sessions.resolve(secret, req, { admitsSuspended: true }));
    if (session && !session.caller.suspended && !uiRefusalOf(session.caller)) {
      res.setHeader('Cache-Control', 'no-store');
      return res.redirect(303, UI_PATH);
    }
    sendPage(res, 200, renderLoginPage(issueLoginNonce(res)));
  }

  @Post('login')
  async login(@Req() req: Request, @Res() res: Response): Promise<void> {
    const form = await readForm(req);
    // Login CSRF: the form's nonce must match the cookie set with it, which another site cannot read.
    if (!sameSecret(form.get('nonce') ?? undefined, loginNonceOf(req))) {
      return this.again(res, 403, 'The sign-in form expired or did not come from this site. Try again.');
    }
    const token = (form.get('token') ?? '').trim();
    // Counted with the bearer header's and POST /session's failures: one throttle for every door.
    const keys = this.failures.keysFor(req, token);
    await this.failures.refuseIfThrottled(keys, res);
    const caller = isApiTokenShape(token)
      ? callerOfTokenHash(this.directory, hashApiToken(token))
      : undefined;
    if (caller === undefined) {
      await this.failures.count(keys);
      return this.again(res, 401, 'That token is not valid.');
    }
    if (caller === 'suspended') return this.again(res, 403, 'This account is suspended; ask your IG lead.');
    const refusal = uiRefusalOf(caller);
    if (refusal) return this.again(res, refusal.status, refusal.detail);
    // A new session (and secret) at every sign-in: a cookie planted before it (fixation) is not reused.
    const started = await this.sessions.start(token, req);
    if (!started) return this.again(res, 401, 'That token is not valid.');
    clearLoginNonce(res);
    setSessionCookie(res, started.secret);
    res.setHeader('Cache-Control', 'no-store');
    res.redirect(303, UI_PATH);
  }

  private again(res: Response, status: number, error: string): void {
    sendPage(res, status, renderLoginPage(issueLoginNonce(res), error));
  }
}
