import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';

/** The browser session's cookie (docs/architecture.md §34): the SPA at /app and the audit view share it. */
export const SESSION_COOKIE = 'accord_session';
/** The header a cookie-authenticated state change carries its CSRF token in. */
export const CSRF_HEADER = 'x-csrf-token';
/** The hidden field a server-rendered form carries it in instead (the audit view). */
export const CSRF_FIELD = '_csrf';

/**
 * Secure and HttpOnly always (browsers accept Secure on http://localhost and 127.0.0.1, for tests);
 * SameSite=Strict, so no other site's page can make the browser send it. No Max-Age: the server ends the
 * session, and a session cookie also goes when the browser closes.
 */
const FLAGS = 'Path=/; HttpOnly; Secure; SameSite=Strict';

/** 32 random bytes, base64url: what the cookie carries, and nothing on the server ever stores it. */
export const newSessionSecret = (): string => randomBytes(32).toString('base64url');

/** The session's id and stream key: the SHA-256 of the secret, which cannot be turned back into a cookie. */
export const sessionIdOf = (secret: string): string =>
  createHash('sha256').update(secret, 'utf8').digest('base64url');

/**
 * The session's CSRF token, derived rather than stored: HMAC(platform secret, session secret). Every node
 * computes the same one, a leaked read model or log cannot produce it, and it dies with the session.
 */
export const csrfTokenOf = (platformSecret: string, secret: string): string =>
  createHmac('sha256', platformSecret).update(`accord-session-csrf\0${secret}`, 'utf8').digest('base64url');

/** A well-formed secret: anything else in the cookie is not looked up at all. */
export const isSessionSecretShape = (value: string): boolean => /^[A-Za-z0-9_-]{43}$/.test(value);

export function setSessionCookie(res: Response, secret: string): void {
  res.append('Set-Cookie', `${SESSION_COOKIE}=${secret}; ${FLAGS}`);
}

export function clearSessionCookie(res: Response): void {
  res.append('Set-Cookie', `${SESSION_COOKIE}=; Max-Age=0; ${FLAGS}`);
}

/** Constant-time comparison of a presented token with the expected one; a missing token never matches. */
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

/** The session secret a request's cookie carries, if well formed. */
export function sessionSecretOf(req: Request): string | undefined {
  const value = cookieOf(req, SESSION_COOKIE);
  return value !== undefined && isSessionSecretShape(value) ? value : undefined;
}

/** Methods that change state: a cookie-authenticated one must prove it came from our page (CSRF). */
export const isStateChange = (method: string): boolean =>
  method === 'POST' || method === 'PUT' || method === 'PATCH' || method === 'DELETE';
