import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import { ACCESS_AGREEMENT_VERSION, fail, isRole, Role } from '@accord/domain';
import {
  ABUSE_COUNTERS,
  AbuseCounters,
  ACCORD_CONFIG,
  hashApiToken,
  isApiTokenShape,
  LoadedConfig,
  Metrics,
} from '@accord/platform';
import { DirectoryReadModel } from '@accord/projections';
import {
  ADMITS_ENROLMENT_TOKEN,
  ADMITS_SUSPENDED,
  AuthenticatedRequest,
  IS_PUBLIC,
  REQUIRES_ACCESS_AGREEMENT,
  ROLES,
} from './auth.decorators';
import { AuthError, authThrottled, forbiddenRole, unauthenticated } from './auth.errors';
import type { Caller } from './caller';

const BEARER = /^Bearer +(\S+) *$/i;

/**
 * The global guard (APP_GUARD): every route needs a bearer token unless it is @Public(). Order of the checks
 * is the order of the answers: who are you (401), are you suspended (403 user.suspended), may your role do
 * this (403 auth.forbidden-role), have you accepted the access agreement (403). Organisation ownership
 * depends on the resource, so handlers check it with assertOwnOrganisation().
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly directory: DirectoryReadModel,
    @Inject(ABUSE_COUNTERS) private readonly counters: AbuseCounters,
    @Inject(ACCORD_CONFIG) private readonly config: LoadedConfig,
    private readonly metrics: Metrics,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;

    const http = context.switchToHttp();
    const req = http.getRequest<AuthenticatedRequest>();
    const admitsSuspended = this.reflector.getAllAndOverride<boolean>(ADMITS_SUSPENDED, targets) === true;
    const caller = await this.authenticate(req, http.getResponse<Response>(), admitsSuspended);
    req.user = caller;
    if (
      caller.enrolmentTokenId !== undefined &&
      this.reflector.getAllAndOverride<boolean>(ADMITS_ENROLMENT_TOKEN, targets) !== true
    )
      throw new AuthError('auth.enrolment-token');

    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, targets);
    if (roles && roles.length > 0 && !roles.includes(caller.role)) throw forbiddenRole(roles);
    if (
      this.reflector.getAllAndOverride<boolean>(REQUIRES_ACCESS_AGREEMENT, targets) &&
      caller.accessAgreementVersion !== ACCESS_AGREEMENT_VERSION
    ) {
      throw fail(
        'user.access-agreement-not-accepted',
        'accept the current access agreement: POST /me/access-agreement',
        {
          currentVersion: ACCESS_AGREEMENT_VERSION,
        },
      );
    }
    return true;
  }

  private async authenticate(
    req: AuthenticatedRequest,
    res: Response,
    admitsSuspended: boolean,
  ): Promise<Caller> {
    const header = req.headers.authorization;
    const token = typeof header === 'string' ? BEARER.exec(header)?.[1] : undefined;
    const throttleKeys = header === undefined ? [] : this.throttleKeys(req, String(header));
    await this.refuseIfThrottled(throttleKeys, res);
    // RFC 6750 section 3: a 401 names the scheme; `invalid_token` only when a token was actually sent.
    const challenge = async (): Promise<never> => {
      const windowMs = this.config.abuse.authFailureWindowSeconds * 1000;
      for (const [key] of throttleKeys) await this.counters.add(key, 1, windowMs);
      res.setHeader('WWW-Authenticate', `Bearer realm="accord"${token ? ', error="invalid_token"' : ''}`);
      throw unauthenticated();
    };
    if (!token || !isApiTokenShape(token)) return challenge();
    const caller = holderOfTokenHash(this.directory, hashApiToken(token));
    if (caller?.suspended) {
      // A route that records the attempt gets who made it; everywhere else the holder is told why rather
      // than that the token is unknown.
      if (admitsSuspended) return caller;
      throw fail('user.suspended', 'this account is suspended; ask your IG lead');
    }
    return caller ?? challenge();
  }

  /**
   * Failed authentication is counted per client IP and per token prefix (the first 12 characters sent: a
   * guesser varying the rest of a token shares it), each with its own burst (docs/operations.md). A request
   * without any Authorization header is not an attempt and is not counted.
   */
  private throttleKeys(req: AuthenticatedRequest, header: string): [string, number][] {
    const abuse = this.config.abuse;
    const credential = header.replace(/^Bearer +/i, '').slice(0, 12);
    return [
      [`auth-fail|ip|${req.ip ?? 'unknown'}`, abuse.authFailuresPerIp],
      [`auth-fail|token|${credential}`, abuse.authFailuresPerToken],
    ];
  }

  private async refuseIfThrottled(keys: [string, number][], res: Response): Promise<void> {
    for (const [key, burst] of keys) {
      const { count, resetInMs } = await this.counters.peek(key);
      if (count < burst) continue;
      const seconds = Math.max(1, Math.ceil(resetInMs / 1000));
      res.setHeader('Retry-After', String(seconds));
      this.metrics.abuseRefusals.inc({ reason: 'auth-throttled' });
      throw authThrottled(seconds);
    }
  }
}

/**
 * The user holding a token, by its hash: the one lookup behind the bearer header and the audit web view's
 * session (which keeps only the hash). A suspended user comes back marked `suspended` (their suspension
 * revoked the token, but they are still who presented it); undefined for an unknown or revoked token.
 */
export function holderOfTokenHash(directory: DirectoryReadModel, tokenHash: string): Caller | undefined {
  const holder = directory.tokenHolder(tokenHash);
  if (!holder || !isRole(holder.role)) return undefined;
  const caller: Caller = {
    userId: holder.userId,
    orgId: holder.orgId,
    role: holder.role,
    accessAgreementVersion: holder.accessAgreementVersion,
    ...(holder.issuedBy !== null && holder.issuedBy !== holder.userId
      ? { tokenIssuer: holder.issuedBy }
      : {}),
    ...(holder.issuedByRole === 'admin' && holder.issuedBy !== holder.userId && holder.orgId !== null
      ? { enrolmentTokenId: holder.tokenId }
      : {}),
  };
  if (holder.status === 'suspended') return { ...caller, suspended: true };
  return holder.tokenRevoked ? undefined : caller;
}

/** As holderOfTokenHash, for callers that only need to know that the holder is suspended. */
export function callerOfTokenHash(
  directory: DirectoryReadModel,
  tokenHash: string,
): Caller | 'suspended' | undefined {
  const caller = holderOfTokenHash(directory, tokenHash);
  return caller?.suspended ? 'suspended' : caller;
}
