import { MessageError } from './crypto.errors';
import { WILDCARD_KEY_ID } from './openpgp.config';

/** How the message body is encrypted, from the first data packet's tag and version. */
export type EncryptionContainer = 'seipd-v1' | 'seipd-v2' | 'aead-librepgp';
export type AeadAlgorithmName = 'eax' | 'ocb' | 'gcm' | 'unknown';

export interface EncryptedMessageHeader {
  /** Key ids of the PKESK packets, lower-case hex, in order; the wildcard (anonymous) id is 16 zeros. */
  keyIds: string[];
  /** SKESK packets: recipients that are passwords, not keys. */
  passwordCount: number;
  container: EncryptionContainer;
  /** The AEAD mode of a SEIPDv2 packet (RFC 9580 §5.13.2); null for SEIPDv1. */
  aeadAlgorithm: AeadAlgorithmName | null;
  /** Bytes from the message start to the first byte of the encrypted data packet. */
  headerLength: number;
}

export type PrefixParse = { complete: true; header: EncryptedMessageHeader } | { complete: false };

const TAG = {
  pkesk: 1,
  signature: 2,
  skesk: 3,
  onePass: 4,
  compressed: 8,
  sed: 9,
  marker: 10,
  literal: 11,
} as const;
const TAG_SEIPD = 18;
const TAG_AEAD = 20;
const TAG_PADDING = 21;
const AEAD_NAMES: Record<number, AeadAlgorithmName> = { 1: 'eax', 2: 'ocb', 3: 'gcm' };
/** Packets that start a signed or plain OpenPGP message: valid OpenPGP, just not encrypted. */
const UNENCRYPTED_STARTS = new Set<number>([TAG.signature, TAG.onePass, TAG.compressed, TAG.literal]);

/**
 * Reads the session-key packets at the start of a binary OpenPGP message without decrypting anything
 * (RFC 9580 §4.2 packet framing, §5.1 PKESK v3/v6, §5.3 SKESK). Returns `complete: false` when the bytes
 * end before the encrypted data packet's header, so a stream reader can fetch more. Throws MessageError:
 * `message.not-openpgp` (not packet framing, a truncated or malformed ESK, an unknown packet first),
 * `message.not-encrypted` (a signed or literal message), `message.no-integrity-protection` (tag 9 SED).
 */
export function parseEncryptedMessagePrefix(bytes: Uint8Array): PrefixParse {
  const keyIds: string[] = [];
  let passwordCount = 0;
  let offset = 0;
  for (;;) {
    const header = readPacketHeader(bytes, offset);
    if (header === 'need-more') return { complete: false };
    const { tag, bodyStart, bodyLength } = header;

    if (tag === TAG_SEIPD || tag === TAG_AEAD) {
      if (keyIds.length === 0 && passwordCount === 0) throw notOpenPgp('encrypted data without session keys');
      // SEIPDv2 and LibrePGP's AEAD packet name their mode in the third body octet (v2: version, cipher,
      // mode; tag 20: version, cipher, mode too).
      if (bodyStart + 3 > bytes.length) return { complete: false };
      const container = tag === TAG_AEAD ? 'aead-librepgp' : seipdVersion(bytes[bodyStart]!);
      const aeadAlgorithm =
        container === 'seipd-v1' ? null : (AEAD_NAMES[bytes[bodyStart + 2]!] ?? 'unknown');
      return {
        complete: true,
        header: { keyIds, passwordCount, container, aeadAlgorithm, headerLength: offset },
      };
    }
    if (tag === TAG.sed) throw new MessageError('message.no-integrity-protection');
    if (keyIds.length === 0 && passwordCount === 0 && UNENCRYPTED_STARTS.has(tag))
      throw new MessageError('message.not-encrypted');
    if (bodyLength === 'partial') throw notOpenPgp('partial length on a session key packet');
    if (bodyStart + bodyLength > bytes.length) return { complete: false };
    const body = bytes.subarray(bodyStart, bodyStart + bodyLength);

    if (tag === TAG.pkesk) keyIds.push(pkeskKeyId(body));
    else if (tag === TAG.skesk) {
      if (body.length < 2 || ![4, 5, 6].includes(body[0]!)) throw notOpenPgp('malformed SKESK');
      passwordCount += 1;
    } else if (tag !== TAG.marker && tag !== TAG_PADDING) {
      throw notOpenPgp(`unexpected packet tag ${tag} before the encrypted data`);
    }
    offset = bodyStart + bodyLength;
  }
}

type PacketHeader = { tag: number; bodyStart: number; bodyLength: number | 'partial' };

function readPacketHeader(bytes: Uint8Array, offset: number): PacketHeader | 'need-more' {
  if (offset >= bytes.length) return 'need-more';
  const first = bytes[offset]!;
  if ((first & 0x80) === 0) throw notOpenPgp('not OpenPGP packet framing');
  if (first & 0x40) {
    const tag = first & 0x3f;
    if (tag === 0) throw notOpenPgp('reserved packet tag');
    const o1 = bytes[offset + 1];
    if (o1 === undefined) return 'need-more';
    if (o1 < 192) return { tag, bodyStart: offset + 2, bodyLength: o1 };
    if (o1 < 224) {
      const o2 = bytes[offset + 2];
      if (o2 === undefined) return 'need-more';
      return { tag, bodyStart: offset + 3, bodyLength: ((o1 - 192) << 8) + o2 + 192 };
    }
    if (o1 === 255) {
      if (offset + 6 > bytes.length) return 'need-more';
      return { tag, bodyStart: offset + 6, bodyLength: readUint32(bytes, offset + 2) };
    }
    return { tag, bodyStart: offset + 2, bodyLength: 'partial' };
  }
  // Legacy (old-format) header: 4-bit tag, length type in the low two bits.
  const tag = (first >> 2) & 0x0f;
  if (tag === 0) throw notOpenPgp('reserved packet tag');
  const lengthType = first & 0x03;
  if (lengthType === 3) return { tag, bodyStart: offset + 1, bodyLength: 'partial' };
  const size = 1 << lengthType;
  if (offset + 1 + size > bytes.length) return 'need-more';
  let length = 0;
  for (let i = 0; i < size; i += 1) length = length * 256 + bytes[offset + 1 + i]!;
  return { tag, bodyStart: offset + 1 + size, bodyLength: length };
}

/** PKESK v3: version, 8-byte key id, algorithm. v6: version, length, key version + fingerprint, algorithm. */
function pkeskKeyId(body: Uint8Array): string {
  const version = body[0];
  if (version === 3) {
    if (body.length < 10) throw notOpenPgp('truncated PKESK');
    return hex(body.subarray(1, 9));
  }
  if (version === 6) {
    const length = body[1];
    if (length === undefined || body.length < 2 + length + 1) throw notOpenPgp('truncated PKESK');
    if (length === 0) return WILDCARD_KEY_ID;
    const keyVersion = body[2];
    const fingerprint = body.subarray(3, 2 + length);
    // A v4 key id is the fingerprint's low 64 bits, a v6 key id its high 64 bits (RFC 9580 §5.5.4).
    if (keyVersion === 4 && fingerprint.length === 20) return hex(fingerprint.subarray(12));
    if (keyVersion === 6 && fingerprint.length === 32) return hex(fingerprint.subarray(0, 8));
    throw notOpenPgp('unknown key version in PKESK');
  }
  throw notOpenPgp('unknown PKESK version');
}

function seipdVersion(version: number): EncryptionContainer {
  if (version === 1) return 'seipd-v1';
  if (version === 2) return 'seipd-v2';
  throw notOpenPgp('unknown SEIPD version');
}

function readUint32(bytes: Uint8Array, at: number): number {
  return ((bytes[at]! << 24) >>> 0) + (bytes[at + 1]! << 16) + (bytes[at + 2]! << 8) + bytes[at + 3]!;
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

function notOpenPgp(detail: string): MessageError {
  return new MessageError('message.not-openpgp', `Not an encrypted OpenPGP message: ${detail}`);
}
