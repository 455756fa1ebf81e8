import { Body, Controller, Delete, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import {
  AuthenticatedRequest,
  AuthFailures,
  clearSessionCookie,
  Public,
  SessionContext,
  Sessions,
  setSessionCookie,
  unauthenticated,
} from '../auth';
import { ApiProblems, ApiPublicRoute } from '../shared/api-problem.decorator';
import { SessionViews } from './session-views';
import { SessionDto, SignInDto } from './sessions.dto';

export const SESSION_SECURITY = 'session';

/**
 * Sign-in for browsers (docs/architecture.md §34): an API token is exchanged once for an HttpOnly, Secure,
 * SameSite=Strict session cookie and a CSRF token the page keeps in memory. GET answers the same body so a
 * reloaded page finds its session again; DELETE signs out (and, being a cookie-borne state change, needs
 * the CSRF token like every other).
 */
@ApiTags('sessions')
@Controller('session')
export class SessionsController {
  constructor(
    private readonly sessions: Sessions,
    private readonly failures: AuthFailures,
    private readonly views: SessionViews,
  ) {}

  @Post()
  @Public()
  @HttpCode(201)
  @ApiOperation({
    operationId: 'signIn',
    summary: 'Sign in with an API token: sets the session cookie and answers the CSRF token and who you are',
  })
  @ApiCreatedResponse({
    type: SessionDto,
    headers: {
      'Set-Cookie': { description: 'accord_session=...; Path=/; HttpOnly; Secure; SameSite=Strict' },
    },
  })
  @ApiPublicRoute(
    400,
    [401, 'Unknown or revoked token (auth.unauthenticated)'],
    [403, 'Suspended user, or an enrolment token'],
    [429, 'Too many failed authentications (auth.throttled)'],
  )
  async signIn(
    @Body() body: SignInDto,
    @Req() req: AuthenticatedRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SessionDto> {
    const keys = this.failures.keysFor(req, body.token);
    await this.failures.refuseIfThrottled(keys, res);
    const started = await this.sessions.start(body.token.trim(), req);
    if (!started) {
      await this.failures.count(keys);
      throw unauthenticated();
    }
    setSessionCookie(res, started.secret);
    res.setHeader('Cache-Control', 'no-store');
    return this.views.of(started.context);
  }

  @Get()
  @ApiSecurity(SESSION_SECURITY)
  @ApiOperation({
    operationId: 'getSession',
    summary: 'The current browser session: its CSRF token, who you are and when it expires',
  })
  @ApiOkResponse({ type: SessionDto })
  @ApiProblems([401, 'No live session (the cookie is cleared)'])
  async current(
    @Req() req: AuthenticatedRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SessionDto> {
    res.setHeader('Cache-Control', 'no-store');
    return this.views.of(sessionOf(req));
  }

  @Delete()
  @HttpCode(204)
  @ApiSecurity(SESSION_SECURITY)
  @ApiOperation({ operationId: 'signOut', summary: 'Sign out: ends the session and clears its cookie' })
  @ApiNoContentResponse({ description: 'Signed out' })
  @ApiProblems([401, 'No live session'], [403, 'Missing or wrong X-CSRF-Token (auth.csrf)'])
  async signOut(@Req() req: AuthenticatedRequest, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.sessions.signOut(sessionOf(req), req);
    clearSessionCookie(res);
  }
}

/** The session the guard resolved; a bearer-token request has none. */
function sessionOf(req: AuthenticatedRequest): SessionContext {
  if (!req.accordSession) throw unauthenticated();
  return req.accordSession;
}
