import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { ACCESS_AGREEMENT_VERSION, Role } from '@accord/domain';
import { type Caller, type SessionContext, Sessions, sessionSecretOf } from '../../auth';

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
  session: SessionContext;
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
 * cookie the web app uses too (docs/architecture.md §34), the holder resolved from the directory afresh,
 * then the audit roles. A suspended holder's session is ended and they are sent to the login form.
 */
@Injectable()
export class AuditUiGuard implements CanActivate {
  constructor(private readonly sessions: Sessions) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<UiRequest>();
    const secret = sessionSecretOf(req);
    const session = secret && (await this.sessions.resolve(secret, req, { admitsSuspended: true }));
    if (!session || session.caller.suspended) throw new UiLoginRequired(req.headers.cookie !== undefined);
    const refusal = uiRefusalOf(session.caller);
    if (refusal) throw refusal;
    req.auditUi = { session, caller: session.caller };
    return true;
  }
}

/** The guard's result, for handlers behind it. */
export function uiContextOf(req: UiRequest): UiContext {
  if (!req.auditUi) throw new UiLoginRequired();
  return req.auditUi;
}
