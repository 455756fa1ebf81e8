import { Controller, Get, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { clearSessionCookie, CSRF_FIELD, Public, sameSecret, Sessions } from '../../auth';
import { AuditIntegrity } from '../audit-integrity.service';
import { auditScopeOf, scopeName } from '../audit-scope';
import { renderSearchPage, SearchPageView } from './audit-ui-search.html';
import { AuditUiFilter, labelOf, pageProblemOf } from './audit-ui.filter';
import { readForm } from './audit-ui.form';
import { AuditUiGuard, UiContext, uiContextOf, UiRefused, UiRequest } from './audit-ui.guard';
import { sendPage } from './audit-ui.html';
import { asOfOf, AuditUiQueries, SearchForm, searchFormOf } from './audit-ui.queries';
import { LOGIN_PATH, UI_PATH } from './audit-ui.login-nonce';

/**
 * The auditor's web view (issue 5): search a history by document, user, organisation, agreement or data
 * subject as of any moment, the accesses per day per organisation, the UK-only summary, and verification.
 * @Public() to the bearer guard only: AuditUiGuard authenticates the session cookie and applies the audit
 * roles. Searches are GETs (they change nothing, and a timeline can be bookmarked); the POST forms carry
 * the session's CSRF token (field `_csrf`) on top of the SameSite=Strict cookie: the same session and the
 * same token as the web app's (docs/architecture.md §34).
 */
@ApiExcludeController()
@Public()
@UseGuards(AuditUiGuard)
@UseFilters(AuditUiFilter)
@Controller('audit/ui')
export class AuditUiController {
  constructor(
    private readonly queries: AuditUiQueries,
    private readonly integrity: AuditIntegrity,
    private readonly sessions: Sessions,
  ) {}

  @Get()
  async search(@Req() req: UiRequest, @Res() res: Response): Promise<void> {
    const form = searchFormOf(req.query as Record<string, unknown>);
    await this.answer(uiContextOf(req), form, res, form.kind === 'subject' && form.value !== '');
  }

  /**
   * The search form posts here. A data subject's results are answered in the body, so the identifier is
   * never in a URL; any other search redirects to its GET (a bookmark, and a reload that does not re-post).
   */
  @Post()
  async searchPosted(@Req() req: UiRequest, @Res() res: Response): Promise<void> {
    const ctx = uiContextOf(req);
    const posted = await this.checkCsrf(req, ctx);
    const form = searchFormOf(Object.fromEntries(posted));
    if (form.kind === 'subject') return this.answer(ctx, form, res, false);
    const query = Object.entries(form).filter(([, v]) => v !== '');
    res.setHeader('Cache-Control', 'no-store');
    res.redirect(303, `${UI_PATH}?${new URLSearchParams(query).toString()}`);
  }

  private async answer(ctx: UiContext, form: SearchForm, res: Response, inUrl: boolean): Promise<void> {
    const scope = auditScopeOf(ctx.caller);
    const view = this.viewOf(ctx, form);
    let status = 200;
    try {
      if (inUrl) {
        throw new UiRefused(
          400,
          'Use the search form',
          "Search for a data subject with the form, so the person's identifier stays out of addresses, browser history and logs.",
        );
      }
      const asOf = asOfOf(view.form);
      view.result = await this.queries.history(view.form, asOf, scope);
      view.uk = await this.queries.ukSummary(asOf, scope);
    } catch (error) {
      // Bad input re-renders the form with what was typed (escaped) and the reason; a fault goes to the filter.
      const problem = pageProblemOf(error);
      if (problem.status >= 500) throw error;
      status = problem.status;
      view.error = problem.detail;
    }
    sendPage(res, status, renderSearchPage(view));
  }

  @Get('verify')
  verifyPage(@Res() res: Response): void {
    res.redirect(303, UI_PATH);
  }

  /** As GET /audit/verify: auditors only, the report cut to the caller's scope. */
  @Post('verify')
  async verify(@Req() req: UiRequest, @Res() res: Response): Promise<void> {
    const ctx = uiContextOf(req);
    await this.checkCsrf(req, ctx);
    if (ctx.caller.role !== 'auditor') {
      throw new UiRefused(403, 'Role not permitted', 'Only auditors may verify the log.');
    }
    const scope = auditScopeOf(ctx.caller);
    const view = this.viewOf(ctx, searchFormOf({}));
    view.verify = await this.integrity.verify(scope);
    view.uk = await this.queries.ukSummary(undefined, scope);
    sendPage(res, 200, renderSearchPage(view));
  }

  @Post('logout')
  async logout(@Req() req: UiRequest, @Res() res: Response): Promise<void> {
    const ctx = uiContextOf(req);
    await this.checkCsrf(req, ctx);
    await this.sessions.signOut(ctx.session, req);
    clearSessionCookie(res);
    res.setHeader('Cache-Control', 'no-store');
    res.redirect(303, LOGIN_PATH);
  }

  private async checkCsrf(req: UiRequest, ctx: UiContext): Promise<URLSearchParams> {
    const form = await readForm(req);
    if (!sameSecret(form.get(CSRF_FIELD) ?? undefined, ctx.session.csrfToken)) {
      throw new UiRefused(
        403,
        'Form expired',
        'This form did not come from your session. Reload the page and try again.',
      );
    }
    return form;
  }

  private viewOf(ctx: UiContext, form: SearchPageView['form']): SearchPageView {
    return {
      signed: { label: labelOf(ctx.caller), csrf: ctx.session.csrfToken },
      form,
      scope: scopeName(auditScopeOf(ctx.caller)),
      canVerify: ctx.caller.role === 'auditor',
    };
  }
}
