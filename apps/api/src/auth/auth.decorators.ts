import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Role } from '@accord/domain';
import type { Request } from 'express';
import { unauthenticated } from './auth.errors';
import type { Caller } from './caller';
import type { SessionContext } from './sessions';

export const IS_PUBLIC = 'accord:auth:public';
export const ROLES = 'accord:auth:roles';
export const REQUIRES_ACCESS_AGREEMENT = 'accord:auth:requires-access-agreement';
export const ADMITS_SUSPENDED = 'accord:auth:admits-suspended';
export const ADMITS_ENROLMENT_TOKEN = 'accord:auth:admits-enrolment-token';

/** The route needs no token (health, metrics, the public register). Everything else does. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);

/** Only these roles may call the route (handler wins over class). No decorator: any authenticated role. */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator => SetMetadata(ROLES, roles);

/**
 * The caller must have accepted the current access agreement (403 `user.access-agreement-not-accepted`
 * until then). Every document and audit route carries it: the agreement is the user's undertaking of
 * confidentiality and need-to-know before seeing any case data or who saw it.
 */
export const RequiresAccessAgreement = (): MethodDecorator & ClassDecorator =>
  SetMetadata(REQUIRES_ACCESS_AGREEMENT, true);

/**
 * A suspended user's request reaches the handler as a Caller with `suspended: true`, so the handler can
 * refuse it AND record the attempt (issue 7: "access by a suspended user is refused and recorded").
 * Only for routes whose handler refuses such a caller itself.
 */
export const AdmitsSuspended = (): MethodDecorator => SetMetadata(ADMITS_SUSPENDED, true);

/**
 * The route accepts an enrolment token (one the admin issued for a partner organisation's first IG lead):
 * only reading oneself and exchanging the token for one's own (see Caller.enrolmentTokenId).
 */
export const AdmitsEnrolmentToken = (): MethodDecorator => SetMetadata(ADMITS_ENROLMENT_TOKEN, true);

/**
 * Where the guard leaves the caller: `req.user`, the Passport convention the Idempotency-Key scope reads;
 * and, when a session cookie authenticated the request, the session in `req.accordSession`.
 */
export type AuthenticatedRequest = Request & { user?: Caller; accordSession?: SessionContext };

/** `@CurrentUser() caller: Caller`; on a @Public() route there is no caller and this answers 401. */
export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): Caller => {
  const caller = ctx.switchToHttp().getRequest<AuthenticatedRequest>().user;
  if (!caller) throw unauthenticated();
  return caller;
});
