import { randomBytes, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Clock } from '@accord/platform';

export const SESSION_COOKIE = 'accord_audit';
/** The login form's double-submit nonce: there is no session yet to hold a CSRF token. */
export const LOGIN_COOKIE = 'accord_audit_login';
export const UI_PATH = '/audit/ui';
export const LOGIN_PATH = `${UI_PATH}/login`;

const IDLE_MS = 30 * 60 * 1000;
const ABSOLUTE_MS = 8 * 60 * 60 * 1000;
const LOGIN_NONCE_SECONDS = 15 * 60;
/** A flood of logins must not grow memory without bound: the oldest sessions go first. */
const MAX_SESSIONS = 10_000;

export interface UiSession {
  id: string;
  /** The API token's hash, never the token: the holder is looked up afresh on every request. */
  tokenHash: string;
  /** The per-session CSRF token every POST form carries in a hidden field. */
  csrf: string;
  createdAt: number;
  lastSeen: number;
}

const opaque = (): string => randomBytes(32).toString('base64url');

/**
 * The audit web view's sessions, in this process's memory: the browser holds only an opaque id (a cookie
 * the page's script cannot read), mapped here to the token's hash. A restart logs everyone out, which is
 * the safe failure; revoking or suspending the token ends the session at its next request, because the
 * holder is resolved from the directory each time, exactly as the bearer guard does.
 */
@Injectable()
export class AuditUiSessions {
  private readonly sessions = new Map<string, UiSession>();

  constructor(private readonly clock: Clock) {}

  create(tokenHash: string): UiSession {
    const now = this.clock.now().getTime();
    this.sweep(now);
    while (this.sessions.size >= MAX_SESSIONS) {
      const oldest = this.sessions.keys().next().value;
      if (oldest === undefined) break;
      this.sessions.delete(oldest);
    }
    const session = { id: opaque(), tokenHash, csrf: opaque(), createdAt: now, lastSeen: now };
    this.sessions.set(session.id, session);
    return session;
  }

  /** The live session a request's cookie names, its idle timer restarted; undefined if none or expired. */
  find(req: Request): UiSession | undefined {
    const id = cookieOf(req, SESSION_COOKIE);
    const session = id === undefined ? undefined : this.sessions.get(id);
    if (!session) return undefined;
    const now = this.clock.now().getTime();
    if (expired(session, now)) {
      this.sessions.delete(session.id);
      return undefined;
    }
    session.lastSeen = now;
    return session;
  }

  destroy(session: UiSession): void {
    this.sessions.delete(session.id);
  }

  private sweep(now: number): void {
    for (const s of this.sessions.values()) if (expired(s, now)) this.sessions.delete(s.id);
  }
}

const expired = (s: UiSession, now: number): boolean =>
  now - s.lastSeen > IDLE_MS || now - s.createdAt > ABSOLUTE_MS;

/** Secure and HttpOnly always (browsers accept Secure on http://localhost and 127.0.0.1, for tests). */
const FLAGS = 'HttpOnly; Secure; SameSite=Strict';

export function setSessionCookie(res: Response, session: UiSession): void {
  const maxAge = Math.floor(ABSOLUTE_MS / 1000);
  res.append('Set-Cookie', `${SESSION_COOKIE}=${session.id}; Path=${UI_PATH}; Max-Age=${maxAge}; ${FLAGS}`);
}

export function clearSessionCookie(res: Response): void {
  res.append('Set-Cookie', `${SESSION_COOKIE}=; Path=${UI_PATH}; Max-Age=0; ${FLAGS}`);
}

/** A fresh login nonce, set as a cookie and returned for the form's hidden field. */
export function issueLoginNonce(res: Response): string {
  const nonce = opaque();
  res.append(
    'Set-Cookie',
    `${LOGIN_COOKIE}=${nonce}; Path=${LOGIN_PATH}; Max-Age=${LOGIN_NONCE_SECONDS}; ${FLAGS}`,
  );
  return nonce;
}

export function clearLoginNonce(res: Response): void {
  res.append('Set-Cookie', `${LOGIN_COOKIE}=; Path=${LOGIN_PATH}; Max-Age=0; ${FLAGS}`);
}

export function loginNonceOf(req: Request): string | undefined {
  return cookieOf(req, LOGIN_COOKIE);
}

/** Constant-time comparison of a form's token with the expected one; a missing token never matches. */
export function sameSecret(given: string | undefined, expected: string | undefined): boolean {
  if (!given || !expected) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** One cookie's value from the Cookie header (no cookie-parser: two cookies do not justify a dependency). */
export function cookieOf(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (typeof header !== 'string') return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || undefined;
  }
  return undefined;
}
