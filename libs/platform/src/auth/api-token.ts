import { createHash, createHmac, randomBytes } from 'node:crypto';
import { uuidv5, uuidv7 } from '@accord/event-store';

/** `acc_` then 32 bytes (256 bits) in base64url: the prefix lets secret scanners recognise a leaked token. */
export const API_TOKEN_PREFIX = 'acc_';
const API_TOKEN = /^acc_[A-Za-z0-9_-]{43}$/;

export interface IssuedApiToken {
  tokenId: string;
  /** Shown once to its holder; never stored, never logged. */
  token: string;
  /** SHA-256 of the token, lower-case hex: the only form the platform keeps. */
  tokenHash: string;
}

/** True if the value has the shape of one of our tokens (checked before any lookup). */
export function isApiTokenShape(value: string): boolean {
  return API_TOKEN.test(value);
}

/** A token is 256 random bits, so a fast unsalted hash is enough: there is nothing to guess by brute force. */
export function hashApiToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function newApiToken(now: number = Date.now()): IssuedApiToken {
  return withHash(uuidv7(now), API_TOKEN_PREFIX + randomBytes(32).toString('base64url'));
}

/**
 * The token of a request that carries an Idempotency-Key, derived from it with the platform secret: a
 * client that retries after a lost response receives the same token again (docs/architecture.md §18.1: a
 * retry answers as the first), instead of a new one while the first stays valid and unknown to anyone.
 * Without the secret the token cannot be derived from the key; `scope` holds the caller, so no one else can
 * replay it.
 */
export function derivedApiToken(secret: string, scope: string, idempotencyKey: string): IssuedApiToken {
  const name = `api-token|${scope}|${idempotencyKey}`;
  const token = API_TOKEN_PREFIX + createHmac('sha256', secret).update(name, 'utf8').digest('base64url');
  return withHash(uuidv5(name), token);
}

function withHash(tokenId: string, token: string): IssuedApiToken {
  return { tokenId, token, tokenHash: hashApiToken(token) };
}
