import { createHash, createPrivateKey, createPublicKey, KeyObject, sign, verify } from 'node:crypto';
import { HASH_BYTES } from './tree-math';

/**
 * Checkpoints as C2SP tlog-checkpoint notes, signed per C2SP signed-note with Ed25519:
 *
 *   <origin>\n<tree size>\n<base64 root hash>\n\n— <key name> <base64(key id (4 bytes) || signature)>\n
 *
 * The signature covers the note text up to and including its last newline, not the blank line. The key id
 * is SHA-256(name || 0x0A || 0x01 || public key)[:4] (0x01: the Ed25519 signature type), and the verifier
 * key is published as `<name>+<hex key id>+<base64(0x01 || public key)>`. Any witness with the verifier key
 * can check a note with standard tooling; the platform's origin doubles as its key name.
 */

export interface Checkpoint {
  origin: string;
  size: number;
  root: Buffer;
}

const ED25519 = 0x01;
const SIG_PREFIX = '\u2014 ';
/** PKCS#8 wrapping of a raw 32-byte Ed25519 seed (RFC 8410), the form Node's crypto imports. */
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** A key name (and origin) is non-empty UTF-8 with no whitespace and no '+' (signed-note). */
export function isValidKeyName(name: string): boolean {
  return name.length > 0 && !/[\s+]/u.test(name);
}

export function keyId(name: string, publicKey: Buffer): Buffer {
  return createHash('sha256')
    .update(Buffer.from(name, 'utf8'))
    .update(Buffer.from([0x0a, ED25519]))
    .update(publicKey)
    .digest()
    .subarray(0, 4);
}

export function checkpointText(c: Checkpoint): string {
  return `${c.origin}\n${c.size}\n${c.root.toString('base64')}\n`;
}

/** Signs checkpoints with one Ed25519 key (from a 32-byte seed: configuration, or a generated key file). */
export class NoteSigner {
  readonly publicKey: Buffer;
  readonly keyId: Buffer;
  private readonly privateKey: KeyObject;

  constructor(
    readonly name: string,
    seed: Buffer,
  ) {
    if (!isValidKeyName(name)) throw new TypeError(`"${name}" cannot be a signed-note key name`);
    if (seed.length !== 32) throw new TypeError('an Ed25519 seed is 32 bytes');
    this.privateKey = createPrivateKey({
      key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]),
      format: 'der',
      type: 'pkcs8',
    });
    const spki = createPublicKey(this.privateKey).export({ format: 'der', type: 'spki' });
    this.publicKey = Buffer.from(spki.subarray(spki.length - 32));
    this.keyId = keyId(name, this.publicKey);
  }

  /** `<name>+<hex key id>+<base64(0x01 || public key)>`. */
  get verifierKey(): string {
    return `${this.name}+${this.keyId.toString('hex')}+${Buffer.concat([Buffer.from([ED25519]), this.publicKey]).toString('base64')}`;
  }

  signCheckpoint(c: Omit<Checkpoint, 'origin'>): string {
    return this.signText(checkpointText({ origin: this.name, ...c }));
  }

  signText(text: string): string {
    const signature = sign(null, Buffer.from(text, 'utf8'), this.privateKey);
    return `${text}\n${SIG_PREFIX}${this.name} ${Buffer.concat([this.keyId, signature]).toString('base64')}\n`;
  }
}

export interface VerifierKey {
  name: string;
  keyId: Buffer;
  publicKey: Buffer;
}

export function parseVerifierKey(vkey: string): VerifierKey {
  // The base64 key may itself hold '+': only the first two separate fields (names have none).
  const m = /^([^+\s]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/]+={0,2})$/.exec(vkey.trim());
  if (!m) throw new TypeError('not a verifier key (<name>+<hex key id>+<base64 key>)');
  const parts = [m[1]!, m[2]!, m[3]!];
  const key = Buffer.from(parts[2]!, 'base64');
  if (key.length !== 33 || key[0] !== ED25519) throw new TypeError('not an Ed25519 verifier key');
  const publicKey = key.subarray(1);
  const id = Buffer.from(parts[1]!, 'hex');
  if (!keyId(parts[0]!, publicKey).equals(id))
    throw new TypeError('the verifier key id does not match its key');
  return { name: parts[0]!, keyId: id, publicKey };
}

export type OpenedCheckpoint = { ok: true; checkpoint: Checkpoint } | { ok: false; reason: string };

/**
 * Checks a checkpoint note against a verifier key and parses it. Refuses (with the reason) a note that is
 * not a signed note, has no signature by this key, whose signature does not verify, or whose text is not a
 * checkpoint of this key's log.
 */
export function openCheckpoint(note: string, vkey: VerifierKey): OpenedCheckpoint {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0009\u000b-\u001f]/.test(note)) return { ok: false, reason: 'malformed-note' };
  const split = note.lastIndexOf('\n\n');
  if (split < 0 || !note.endsWith('\n')) return { ok: false, reason: 'malformed-note' };
  const text = note.slice(0, split + 1);
  const sigLines = note.slice(split + 2, -1).split('\n');
  let signature: Buffer | undefined;
  for (const line of sigLines) {
    if (!line.startsWith(SIG_PREFIX)) return { ok: false, reason: 'malformed-note' };
    const [name, b64, extra] = line.slice(SIG_PREFIX.length).split(' ');
    if (extra !== undefined || !name || !b64) return { ok: false, reason: 'malformed-note' };
    const sig = Buffer.from(b64, 'base64');
    if (name === vkey.name && sig.length > 4 && sig.subarray(0, 4).equals(vkey.keyId)) {
      signature = sig.subarray(4);
      break;
    }
  }
  if (!signature) return { ok: false, reason: 'not-signed-by-this-key' };
  const publicKey = createPublicKey({
    key: Buffer.concat([SPKI_ED25519_PREFIX, vkey.publicKey]),
    format: 'der',
    type: 'spki',
  });
  if (signature.length !== 64 || !verify(null, Buffer.from(text, 'utf8'), publicKey, signature)) {
    return { ok: false, reason: 'bad-signature' };
  }
  const lines = text.slice(0, -1).split('\n');
  const [origin, sizeText, rootText] = lines;
  const root = Buffer.from(rootText ?? '', 'base64');
  if (
    lines.length < 3 ||
    origin !== vkey.name ||
    !/^(0|[1-9][0-9]{0,15})$/.test(sizeText ?? '') ||
    root.length !== HASH_BYTES ||
    root.toString('base64') !== rootText
  ) {
    return { ok: false, reason: 'not-a-checkpoint-of-this-log' };
  }
  const size = Number(sizeText);
  if (!Number.isSafeInteger(size)) return { ok: false, reason: 'not-a-checkpoint-of-this-log' };
  return { ok: true, checkpoint: { origin, size, root } };
}
