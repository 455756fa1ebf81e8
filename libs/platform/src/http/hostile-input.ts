/*
 * Checks on what a client sends before any parser, validator or handler walks it (docs/architecture.md §7,
 * hostile input). Each refusal is a 400 problem of its own type, never a stack overflow or a stored NUL.
 *
 * - Depth: a JSON body nested deeper than MAX_JSON_DEPTH is refused from its raw bytes, before JSON.parse,
 *   so neither the parser nor class-transformer/class-validator (which recurse) ever see it.
 * - Text: every string, keys included, must be free of U+0000 and of unpaired UTF-16 surrogates: neither is
 *   text any partner means to send, and both break exports, logs and other systems downstream.
 * - Keys `__proto__`, `constructor` and `prototype` are refused anywhere in a body: no DTO has them, and
 *   they are how prototype pollution reaches merge-style code.
 */
import { RequestError } from './request-error';

/** Far deeper than any DTO (the deepest is 4 levels), far shallower than what overflows a recursive walk. */
export const MAX_JSON_DEPTH = 64;

/** On the request: the raw JSON body's SHA-256, for the Idempotency-Key fingerprint check. */
export const BODY_SHA256 = Symbol('accord body sha256');

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export const tooDeep = (): RequestError =>
  new RequestError(
    'json-too-deep',
    400,
    'JSON nested too deeply',
    `The request body nests objects or arrays more than ${MAX_JSON_DEPTH} levels deep.`,
  );

export const invalidText = (pointer: string): RequestError =>
  new RequestError(
    'invalid-text',
    400,
    'Invalid characters in text',
    'Text may not contain NUL characters or unpaired UTF-16 surrogates.',
    { errors: [{ pointer, detail: 'contains a NUL character or an unpaired surrogate' }] },
  );

export const forbiddenKey = (pointer: string): RequestError =>
  new RequestError(
    'forbidden-key',
    400,
    'Forbidden property name',
    'Property names __proto__, constructor and prototype are not accepted.',
    { errors: [{ pointer, detail: 'forbidden property name' }] },
  );

/**
 * Nesting depth of a JSON text from its bytes (brackets outside strings), stopping as soon as it passes
 * `limit`. Linear, no recursion, no allocation: safe on a 1 MB body of `[[[[...`.
 */
export function jsonDepthExceeds(raw: Buffer, limit = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped byte
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/** A string with U+0000 or a lone surrogate (what String#isWellFormed answers, without needing Node 20's lib). */
export function isBadText(s: string): boolean {
  if (s.includes('\u0000')) return true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const n = s.charCodeAt(i + 1);
      if (!(n >= 0xdc00 && n <= 0xdfff)) return true;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) return true;
  }
  return false;
}

/**
 * Walks a parsed body (depth already bounded) and throws the first refusal: a bad string or key. Iterative,
 * with an explicit stack, so it cannot overflow whatever it is given.
 */
export function assertCleanJson(value: unknown): void {
  const stack: [unknown, string][] = [[value, '']];
  while (stack.length > 0) {
    const [v, pointer] = stack.pop()!;
    if (typeof v === 'string') {
      if (isBadText(v)) throw invalidText(pointer);
    } else if (Array.isArray(v)) {
      v.forEach((item, i) => stack.push([item, `${pointer}/${i}`]));
    } else if (v !== null && typeof v === 'object') {
      for (const key of Object.keys(v)) {
        const here = `${pointer}/${escapePointer(key)}`;
        if (FORBIDDEN_KEYS.has(key)) throw forbiddenKey(here);
        if (isBadText(key)) throw invalidText(here);
        stack.push([(v as Record<string, unknown>)[key], here]);
      }
    }
  }
}

function escapePointer(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}
