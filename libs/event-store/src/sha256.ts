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
 * The 32-byte SHA-256 of `input` (a string is hashed as its UTF-8 bytes) as a latin1 string: one code unit per
 * byte, of the byte's value. The Merkle tree works on digests in this form (about two per appended event):
 * crypto.hash's own 'buffer' output gives each digest its own native backing store, which cost 870 ns a 65-byte
 * node hash against 460 ns as a string turned into a Buffer (Node 20.20, docs/architecture.md §37.9), and a
 * string written straight into the buffer that needs it costs no Buffer at all (§37.14).
 */
export const sha256Latin1: (input: string | Uint8Array) => string =
  typeof crypto.hash === 'function'
    ? (input) => crypto.hash('sha256', input, 'binary')
    : (input) => crypto.createHash('sha256').update(input).digest('binary');

/** The 32-byte SHA-256 of `input` as a Buffer: sha256Latin1's bytes (latin1 maps each code unit back to its byte). */
export const sha256Digest = (input: string | Uint8Array): Buffer =>
  Buffer.from(sha256Latin1(input), 'latin1');
