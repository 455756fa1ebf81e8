import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { ACCESS_AGREEMENT_VERSION, Role } from '@accord/domain';
import { DirectoryReadModel } from '@accord/projections';
import { callerOfTokenHash, type Caller } from '../../auth';
import { AuditUiSessions, UiSession } from './audit-ui.sessions';

/** The roles the JSON histories admit (AuditHistoryController); verification is for auditors alone. */
export const UI_ROLES: readonly Role[] = ['auditor', 'ig-lead'];

/** No live session: the filter answers 303 to the login page, never 401 JSON. */
export class UiLoginRequired extends Error {
  constructor(readonly clearCookie = false) {
    super('audit ui: login required');
    this.name = 'UiLoginRequired';
  }
}

/** A refusal rendered as a page with this status; the detail names no person, document or organisation. */
export class UiRefused extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
  ) {
    super(`audit ui: ${title}`);
    this.name = 'UiRefused';
  }
}

export interface UiContext {
  session: UiSession;
  caller: Caller;
}

export type UiRequest = Request & { auditUi?: UiContext };

/**
 * The same checks, in the same order, as the bearer guard and the audit routes' @Roles and
 * @RequiresAccessAgreement, for a caller who arrived by session instead of header. The admin (orgId null,
 * not an auditor) is refused by the role check before the audit scope is asked.
 */
export function uiRefusalOf(caller: Caller): UiRefused | undefined {
  if (!UI_ROLES.includes(caller.role)) {
    return new UiRefused(403, 'Role not permitted', 'Only auditors and IG leads may use the audit view.');
  }
  if (caller.accessAgreementVersion !== ACCESS_AGREEMENT_VERSION) {
    return new UiRefused(
      403,
      'Access agreement not accepted',
      'Accept the current access agreement (POST /me/access-agreement) before reading the audit trail.',
    );
  }
  return undefined;
}

/**
 * Guards every audit view page but the login form. The UI controllers are @Public() to the bearer guard
 * (a browser sends no Authorization header); this guard is their authentication instead: the session
 * cookie, then the token holder resolved from the directory afresh, then the audit roles.
 */
@Injectable()
export class AuditUiGuard implements CanActivate {
  constructor(
    private readonly sessions: AuditUiSessions,
    private readonly directory: DirectoryReadModel,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<UiRequest>();
    const session = this.sessions.find(req);
    if (!session) throw new UiLoginRequired(req.headers.cookie !== undefined);
    const caller = callerOfTokenHash(this.directory, session.tokenHash);
    if (caller === undefined || caller === 'suspended') {
      this.sessions.destroy(session);
      throw new UiLoginRequired(true);
    }
    const refusal = uiRefusalOf(caller);
    if (refusal) throw refusal;
    req.auditUi = { session, caller };
    return true;
  }
}

/** The guard's result, for handlers behind it. */
export function uiContextOf(req: UiRequest): UiContext {
  if (!req.auditUi) throw new UiLoginRequired();
  return req.auditUi;
}
