import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import { cookieOf } from '../../auth';

export const UI_PATH = '/audit/ui';
export const LOGIN_PATH = `${UI_PATH}/login`;

/** The login form's double-submit nonce: there is no session yet to derive a CSRF token from. */
export const LOGIN_COOKIE = 'accord_audit_login';
const LOGIN_NONCE_SECONDS = 15 * 60;
const FLAGS = 'HttpOnly; Secure; SameSite=Strict';

/** A fresh login nonce, set as a cookie and returned for the form's hidden field. */
export function issueLoginNonce(res: Response): string {
  const nonce = randomBytes(32).toString('base64url');
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
