import * as crypto from 'node:crypto';

/**
 * Hex sha256 of a string's UTF-8 bytes. The one-shot crypto.hash (Node 20.12+) costs about half of
 * createHash for the few hundred bytes of an event; engines allow any Node 20, hence the fallback.
 */
export const sha256Hex: (input: string) => string =
  typeof crypto.hash === 'function'
    ? (input) => crypto.hash('sha256', input, 'hex')
    : (input) => crypto.createHash('sha256').update(input).digest('hex');
