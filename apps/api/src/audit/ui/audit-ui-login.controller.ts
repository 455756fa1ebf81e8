import { Controller, Get, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { hashApiToken, isApiTokenShape } from '@accord/platform';
import { DirectoryReadModel } from '@accord/projections';
import { callerOfTokenHash, Public } from '../../auth';
import { AuditUiFilter } from './audit-ui.filter';
import { readForm } from './audit-ui.form';
import { uiRefusalOf } from './audit-ui.guard';
import { renderLoginPage, sendPage } from './audit-ui.html';
import {
  AuditUiSessions,
  clearLoginNonce,
  issueLoginNonce,
  loginNonceOf,
  sameSecret,
  setSessionCookie,
  UI_PATH,
} from './audit-ui.sessions';

/**
 * The audit view's sign-in: the API token is typed once into a form, checked as the bearer guard checks
 * it (same lookup, then the audit roles and the access agreement), and exchanged for an opaque session
 * id in an HttpOnly, Secure, SameSite=Strict cookie. @Public() to the bearer guard: a browser sends no
 * Authorization header. HTML only, so excluded from the OpenAPI document (and the authz matrix).
 */
@ApiExcludeController()
@Public()
@UseFilters(AuditUiFilter)
@Controller('audit/ui')
export class AuditUiLoginController {
  constructor(
    private readonly sessions: AuditUiSessions,
    private readonly directory: DirectoryReadModel,
  ) {}

  @Get('login')
  form(@Req() req: Request, @Res() res: Response): void {
    const session = this.sessions.find(req);
    const caller = session && callerOfTokenHash(this.directory, session.tokenHash);
    if (caller && caller !== 'suspended' && !uiRefusalOf(caller)) {
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
    const tokenHash = isApiTokenShape(token) ? hashApiToken(token) : undefined;
    const caller = tokenHash === undefined ? undefined : callerOfTokenHash(this.directory, tokenHash);
    if (tokenHash === undefined || caller === undefined) {
      return this.again(res, 401, 'That token is not valid.');
    }
    if (caller === 'suspended') return this.again(res, 403, 'This account is suspended; ask your IG lead.');
    const refusal = uiRefusalOf(caller);
    if (refusal) return this.again(res, refusal.status, refusal.detail);
    // A fresh id at every sign-in: a session id planted before it (fixation) is dropped.
    const previous = this.sessions.find(req);
    if (previous) this.sessions.destroy(previous);
    const session = this.sessions.create(tokenHash);
    clearLoginNonce(res);
    setSessionCookie(res, session);
    res.setHeader('Cache-Control', 'no-store');
    res.redirect(303, UI_PATH);
  }

  private again(res: Response, status: number, error: string): void {
    sendPage(res, status, renderLoginPage(issueLoginNonce(res), error));
  }
}
