import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import { ACCESS_AGREEMENT_VERSION, fail, Role } from '@accord/domain';
import { hashApiToken, isApiTokenShape, ReadYourWrites } from '@accord/platform';
import { DirectoryReadModel } from '@accord/projections';
import { AuthFailures } from './auth-failures';
import {
  ADMITS_ENROLMENT_TOKEN,
  ADMITS_SUSPENDED,
  AuthenticatedRequest,
  IS_PUBLIC,
  REQUIRES_ACCESS_AGREEMENT,
  ROLES,
} from './auth.decorators';
import { AuthError, forbiddenRole, unauthenticated } from './auth.errors';
import type { Caller } from './caller';
import { clearSessionCookie, CSRF_HEADER, isStateChange, sessionSecretOf } from './session-cookie';
import { Sessions } from './sessions';
import { holderOfTokenHash } from './token-holder';

const BEARER = /^Bearer +(\S+) *$/i;

/**
 * The global guard (APP_GUARD): every route needs a bearer token, or a browser's session cookie, unless it
 * is @Public(). Order of the checks is the order of the answers: who are you (401), did a cookie-borne state
 * change come from our page (403 auth.csrf), are you suspended (403 user.suspended), may your role do this
 * (403 auth.forbidden-role), have you accepted the access agreement (403). Organisation ownership depends
 * on the resource, so handlers check it with assertOwnOrganisation().
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly directory: DirectoryReadModel,
    private readonly failures: AuthFailures,
    private readonly sessions: Sessions,
    private readonly readYourWrites: ReadYourWrites,
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
    // A browser sends no Authorization header: its session cookie speaks for it. A header always wins, so
    // a bearer client is never subject to the cookie's CSRF rule.
    const secret = header === undefined ? sessionSecretOf(req) : undefined;
    if (secret !== undefined) return this.bySession(secret, req, res, admitsSuspended);
    const token = typeof header === 'string' ? BEARER.exec(header)?.[1] : undefined;
    const throttleKeys = header === undefined ? [] : this.failures.keysFor(req, String(header));
    await this.failures.refuseIfThrottled(throttleKeys, res);
    // RFC 6750 section 3: a 401 names the scheme; `invalid_token` only when a token was actually sent.
    const challenge = async (): Promise<never> => {
      await this.failures.count(throttleKeys);
      res.setHeader('WWW-Authenticate', `Bearer realm="accord"${token ? ', error="invalid_token"' : ''}`);
      throw unauthenticated();
    };
    if (!token || !isApiTokenShape(token)) return challenge();
    const caller = await this.holderOf(hashApiToken(token));
    if (caller?.suspended) {
      // A route that records the attempt gets who made it; everywhere else the holder is told why rather
      // than that the token is unknown.
      if (admitsSuspended) return caller;
      throw fail('user.suspended', 'this account is suspended; ask your IG lead');
    }
    return caller ?? challenge();
  }

  /**
   * A token unknown to this node's read models may only be newer than them: issued a moment ago by the CLI
   * straight into the log, through another node, or before this api started and caught up. So before a 401
   * the read models are brought up to the log's head once and asked again; a token the log holds is never
   * refused for lag. Only an unknown or revoked token pays for it (a head read, and a wait only while the
   * read models are behind), and those are counted and throttled as failures.
   */
  private async holderOf(tokenHash: string): Promise<Caller | undefined> {
    const caller = holderOfTokenHash(this.directory, tokenHash);
    if (caller !== undefined) return caller;
    if (!(await this.readYourWrites.catchUp())) return undefined;
    return holderOfTokenHash(this.directory, tokenHash);
  }

  /**
   * A dead or unknown session is a 401 that also clears the cookie, so the browser stops sending it. Not
   * counted as a failed authentication: the secret is 256 random bits (nothing to guess), and counting
   * would throttle everyone behind one address whose cookies had simply expired.
   */
  private async bySession(
    secret: string,
    req: AuthenticatedRequest,
    res: Response,
    admitsSuspended: boolean,
  ): Promise<Caller> {
    const presented = req.headers[CSRF_HEADER];
    const context = await this.sessions.resolve(secret, req, {
      admitsSuspended,
      ...(isStateChange(req.method)
        ? { csrf: { presented: typeof presented === 'string' ? presented : undefined } }
        : {}),
    });
    if (!context) {
      clearSessionCookie(res);
      res.setHeader('WWW-Authenticate', 'Bearer realm="accord"');
      throw unauthenticated();
    }
    req.accordSession = context;
    return context.caller;
  }
}
