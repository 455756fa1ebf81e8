import { Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import {
  fail,
  LiveSession,
  renewalDue,
  SessionCommand,
  sessionDecider,
  SessionEndReason,
  sessionExpiry,
  SessionState,
  sessionStreamId,
} from '@accord/domain';
import { EVENT_STORE, type EventMetaInput, type EventStore } from '@accord/event-store';
import {
  ACCORD_CONFIG,
  Clock,
  fold,
  hashApiToken,
  isApiTokenShape,
  type LoadedConfig,
  READ_DB,
  ReadYourWrites,
  runCommand,
  systemMeta,
} from '@accord/platform';
import { DirectoryReadModel, projectedSession, type ReadDb } from '@accord/projections';
import { AuthError, unauthenticated } from './auth.errors';
import type { Caller } from './caller';
import { eventMetaFor } from './event-meta';
import { csrfTokenOf, newSessionSecret, sameSecret, sessionIdOf } from './session-cookie';
import { holderOfTokenHash } from './token-holder';

/** A live session and the user it acts for, as a request resolved it. */
export interface SessionContext {
  sessionId: string;
  csrfToken: string;
  session: LiveSession;
  caller: Caller;
}

export interface SessionAdmission {
  /** Let a suspended holder through (marked), for a route that records the attempt (@AdmitsSuspended). */
  admitsSuspended?: boolean;
  /** The CSRF token the request presented, checked when given (a state change); undefined: not checked. */
  csrf?: { presented: string | undefined };
}

/**
 * Browser sessions (docs/architecture.md §34), event-sourced on `session-{id}` so they survive a restart
 * and every api node sees the same ones. A request's session is read from this node's `sessions` read model,
 * or, when the projector has not seen it yet (signed in on another node a moment ago), folded from its
 * stream. The holder is resolved from the directory on every request, exactly as for a bearer token, so a
 * suspension or a revoked token ends the session at its next request; an expiry or either of those is
 * recorded (SessionEnded) by the node that notices it.
 */
@Injectable()
export class Sessions {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_DB) private readonly db: ReadDb,
    @Inject(ACCORD_CONFIG) private readonly config: LoadedConfig,
    private readonly directory: DirectoryReadModel,
    private readonly readYourWrites: ReadYourWrites,
    private readonly clock: Clock,
  ) {}

  /**
   * Signs in with an API token: the token is checked as the bearer guard checks it and exchanged for a new
   * session. Undefined for an unknown or revoked token (the caller counts the failure); a suspended holder
   * or an enrolment token is refused in words.
   */
  async start(token: string, req: Request): Promise<{ secret: string; context: SessionContext } | undefined> {
    const tokenHash = isApiTokenShape(token) ? hashApiToken(token) : undefined;
    const caller = tokenHash === undefined ? undefined : holderOfTokenHash(this.directory, tokenHash);
    if (tokenHash === undefined || caller === undefined) return undefined;
    if (caller.suspended) throw fail('user.suspended', 'this account is suspended; ask your IG lead');
    if (caller.enrolmentTokenId !== undefined) throw new AuthError('auth.enrolment-token');
    const secret = newSessionSecret();
    const sessionId = sessionIdOf(secret);
    const { idleMs, absoluteMs } = this.config.sessions;
    const outcome = await this.run(
      sessionId,
      {
        type: 'StartSession',
        data: { userId: caller.userId, organisationId: caller.orgId, tokenHash, idleMs, absoluteMs },
        metadata: { now: this.clock.now() },
      },
      eventMetaFor(caller, req, this.clock),
    );
    const session = outcome.state;
    if (session.status !== 'live') throw unauthenticated();
    return { secret, context: this.contextOf(sessionId, secret, session, caller) };
  }

  /**
   * The live session a cookie's secret names and who it acts for; undefined when there is none (unknown,
   * expired, signed out, token revoked). Throws 403 auth.csrf when `csrf` is asked and does not match, and
   * 403 user.suspended for a suspended holder (ending the session) unless `admitsSuspended`.
   */
  async resolve(
    secret: string,
    req: Request,
    admission: SessionAdmission = {},
  ): Promise<SessionContext | undefined> {
    const sessionId = sessionIdOf(secret);
    const state = await this.current(sessionId);
    if (state.status !== 'live') return undefined;
    const now = this.clock.now();
    const expired = sessionExpiry(state, now);
    if (expired) {
      await this.end(sessionId, expired, systemMeta('sessions', now));
      return undefined;
    }
    const csrfToken = csrfTokenOf(this.config.platformSecret, secret);
    // Before anything is renewed or recorded: a forged request changes nothing, not even the idle timer.
    if (admission.csrf && !sameSecret(admission.csrf.presented, csrfToken)) throw new AuthError('auth.csrf');
    const holder = holderOfTokenHash(this.directory, state.tokenHash);
    if (holder === undefined) {
      await this.end(sessionId, 'token-revoked', systemMeta('sessions', now));
      return undefined;
    }
    if (holder.suspended) {
      await this.end(sessionId, 'user-suspended', systemMeta('sessions', now));
      if (admission.admitsSuspended) return { sessionId, csrfToken, session: state, caller: holder };
      throw fail('user.suspended', 'this account is suspended; ask your IG lead');
    }
    let session: SessionState = state;
    if (renewalDue(state, now, this.config.sessions.idleMs)) {
      const { idleMs, absoluteMs } = this.config.sessions;
      const outcome = await this.run(
        sessionId,
        { type: 'RenewSession', data: { idleMs, absoluteMs }, metadata: { now } },
        eventMetaFor(holder, req, this.clock),
      );
      session = outcome.state;
    }
    return session.status === 'live' ? { sessionId, csrfToken, session, caller: holder } : undefined;
  }

  /** Signs out: SessionEnded, and this node's read model has it before the answer goes. */
  async signOut(context: SessionContext, req: Request): Promise<void> {
    await this.end(context.sessionId, 'signed-out', eventMetaFor(context.caller, req, this.clock));
  }

  private async end(sessionId: string, reason: SessionEndReason, meta: EventMetaInput): Promise<void> {
    const outcome = await this.run(
      sessionId,
      { type: 'EndSession', data: { reason }, metadata: { now: this.clock.now() } },
      meta,
    );
    // The read model must not answer "live" for the cookie just ended on this node: wait until it has the end.
    // Other nodes catch up within their projector's lag (docs/architecture.md §34).
    if (outcome.events.length > 0) await this.readYourWrites.settle(outcome.position);
  }

  private contextOf(sessionId: string, secret: string, session: LiveSession, caller: Caller): SessionContext {
    return { sessionId, csrfToken: csrfTokenOf(this.config.platformSecret, secret), session, caller };
  }

  /** This node's projection of the session, or its stream when the projector has not seen it (yet). */
  private async current(sessionId: string): Promise<SessionState> {
    const projected = projectedSession(this.db, sessionId);
    if (projected) return projected;
    return fold(sessionDecider, await this.store.readStream(sessionStreamId(sessionId)));
  }

  private run(sessionId: string, command: SessionCommand, meta: EventMetaInput) {
    return runCommand(this.store, sessionStreamId(sessionId), sessionDecider, command, { meta });
  }
}
