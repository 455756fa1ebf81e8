import * as crypto from 'node:crypto';

/**
 * Hex sha256 of a string's UTF-8 bytes. The one-shot crypto.hash (Node 20.12+) costs about half of
 * createHash for the few hundred bytes of an event; engines allow any Node 20, hence the fallback.
 */
export const sha256Hex: (input: string) => string =
  typeof crypto.hash === 'function'
    ? (input) => crypto.hash('sha256', input, 'hex')
    : (input) => crypto.createHash('sha256').update(input).digest('hex');

/**
 * The 32-byte SHA-256 of `input` (a string is hashed as its UTF-8 bytes), for the Merkle tree's leaf and node
 * hashes, about two per appended event. The one-shot hash is asked for a 'binary' (latin1) string and turned
 * into a Buffer here: crypto.hash's own 'buffer' output gives each digest its own native backing store, which
 * cost 870 ns a 65-byte node hash against 460 ns this way (Node 20.20, docs/architecture.md §37.9). latin1
 * maps each byte to the one code unit of the same value and back, so the bytes are the digest's.
 */
export const sha256Digest: (input: string | Uint8Array) => Buffer =
  typeof crypto.hash === 'function'
    ? (input) => Buffer.from(crypto.hash('sha256', input, 'binary'), 'binary')
    : (input) => crypto.createHash('sha256').update(input).digest();
