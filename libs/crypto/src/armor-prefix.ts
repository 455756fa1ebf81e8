import { MessageError } from './crypto.errors';

const BEGIN = '-----BEGIN PGP ';
const BASE64_LINE = /^[A-Za-z0-9+/]*={0,2}$/;

export type ArmorPrefix =
  | { armored: false }
  | { armored: true; bytes: Uint8Array }
  /** An armor header was seen but its lines are not complete yet. */
  | { armored: true; bytes: null };

/**
 * Recognises an ASCII-armored message (RFC 9580 §6.2) from its first bytes and decodes as much of its
 * base64 body as the complete lines give, so the packet parser can read the session-key packets. Only
 * complete lines are used unless `ended`, because a line cut mid-way may be the "=" checksum or END line.
 */
export function decodeArmorPrefix(prefix: Uint8Array, ended: boolean): ArmorPrefix {
  let start = 0;
  while (start < prefix.length && isSpace(prefix[start]!)) start += 1;
  const probe = Buffer.from(
    prefix.buffer,
    prefix.byteOffset + start,
    Math.min(BEGIN.length, prefix.length - start),
  );
  if (probe.toString('latin1') !== BEGIN.slice(0, probe.length)) return { armored: false };
  if (probe.length < BEGIN.length) return ended ? { armored: false } : { armored: true, bytes: null };

  let text = Buffer.from(prefix.buffer, prefix.byteOffset + start, prefix.length - start).toString('latin1');
  if (!ended) text = text.slice(0, text.lastIndexOf('\n') + 1);
  const lines = text.split(/\r?\n/);
  if (lines.length < 2 && !ended) return { armored: true, bytes: null };
  const kind = lines[0]!.trim();
  if (kind !== '-----BEGIN PGP MESSAGE-----') {
    if (/^-----BEGIN PGP [A-Z ,/0-9]+-----$/.test(kind)) throw new MessageError('message.not-encrypted');
    throw new MessageError('message.not-openpgp', 'Not an encrypted OpenPGP message: unknown armor header');
  }
  // Armor headers ("Version: ...") run until the first blank line.
  const blank = lines.findIndex((line, i) => i > 0 && line.trim() === '');
  if (blank < 0) return { armored: true, bytes: null };
  let base64 = '';
  for (const raw of lines.slice(blank + 1)) {
    const line = raw.trim();
    if (line.startsWith('-----END') || (line.startsWith('=') && line.length === 5)) break;
    if (!BASE64_LINE.test(line)) {
      throw new MessageError('message.not-openpgp', 'Not an encrypted OpenPGP message: bad armor body');
    }
    base64 += line;
  }
  const usable = base64.length - (base64.length % 4);
  return { armored: true, bytes: new Uint8Array(Buffer.from(base64.slice(0, usable), 'base64')) };
}

function isSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;
}
