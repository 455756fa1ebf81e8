import { createHash, randomBytes } from 'node:crypto';

/** UUID v7 (RFC 9562): 48-bit Unix milliseconds then randomness, so ids sort by creation time. */
export function uuidv7(now: number = Date.now()): string {
  const b = randomBytes(16);
  b.writeUIntBE(now, 0, 6);
  b[6] = (b[6]! & 0x0f) | 0x70;
  b[8] = (b[8]! & 0x3f) | 0x80;
  return format(b);
}

/** Our namespace for idempotency-derived event ids (a fixed random UUID). */
export const ACCORD_NAMESPACE = '7d0c2a4e-3b51-4f7e-9a6c-1f2e3d4c5b6a';

/** UUID v5 (RFC 9562): SHA-1 of namespace + name. */
export function uuidv5(name: string, namespace: string = ACCORD_NAMESPACE): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const b = createHash('sha1').update(ns).update(name, 'utf8').digest().subarray(0, 16);
  b[6] = (b[6]! & 0x0f) | 0x50;
  b[8] = (b[8]! & 0x3f) | 0x80;
  return format(b);
}

/**
 * Event ids for the events one request appends. With an Idempotency-Key they are derived from it (key +
 * index), so a retried request produces the same ids and the store recognises the retry; without one they
 * are fresh v7 ids.
 */
export function eventIdsFor(count: number, idempotencyKey?: string, scope = ''): string[] {
  return Array.from({ length: count }, (_, i) =>
    idempotencyKey ? uuidv5(`${scope}:${idempotencyKey}:${i}`) : uuidv7(),
  );
}

function format(b: Buffer): string {
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
