import { type Readable, Transform } from 'node:stream';
import { asBytes } from './byte-streams';
import { MessageError } from './crypto.errors';
import { EncryptedMessageScanner } from './encrypted-message.scanner';

/**
 * The stored form of a pre-encrypted upload, checked as it streams: every byte passes through an
 * EncryptedMessageScanner (after ASCII armor is decoded, when the upload is armored) and is released
 * downstream only once the scanner has judged it. A message refused half-way therefore never had a byte of
 * its unjudged part written anywhere; the stream fails with the scanner's MessageError
 * (`message.malformed`, `message.not-ciphertext`). The bytes released are the upload's own, unchanged.
 */
export function verifiedEncryptedStream(source: Readable, options: { armored: boolean }): Readable {
  const scanner = new EncryptedMessageScanner();
  const armor = options.armored ? new ArmorBodyDecoder() : undefined;
  const held: { raw: Uint8Array; end: number }[] = [];
  let decoded = 0;
  let partialLine: Uint8Array = new Uint8Array(0);

  const feed = (raw: Uint8Array, bytes: Uint8Array): void => {
    scanner.push(bytes);
    decoded += bytes.length;
    held.push({ raw, end: decoded });
  };
  const release = (stream: Transform, upTo: number): void => {
    while (held.length > 0 && held[0]!.end <= upTo) stream.push(held.shift()!.raw);
  };

  const verifier = new Transform({
    transform(chunk: unknown, _encoding, callback) {
      try {
        const bytes = asBytes(chunk);
        if (!armor) feed(bytes, bytes);
        else {
          // Whole lines only, so each held piece maps exactly onto the binary bytes it decodes to.
          const text = partialLine.length ? Buffer.concat([partialLine, bytes]) : Buffer.from(bytes);
          let start = 0;
          for (let nl = text.indexOf(0x0a); nl >= 0; nl = text.indexOf(0x0a, start)) {
            const line = text.subarray(start, nl + 1);
            feed(line, armor.line(line));
            start = nl + 1;
          }
          partialLine = text.subarray(start);
          if (partialLine.length > 64 * 1024) throw armorError('an armor line longer than 64 KiB');
        }
        release(this, scanner.cleared);
        callback();
      } catch (error) {
        callback(error instanceof Error ? error : new Error(String(error)));
      }
    },
    flush(callback) {
      try {
        if (armor) {
          if (partialLine.length) feed(partialLine, armor.line(partialLine));
          armor.end();
        }
        scanner.end();
        release(this, Infinity);
        callback();
      } catch (error) {
        callback(error instanceof Error ? error : new Error(String(error)));
      }
    },
  });
  source.on('error', (error) => verifier.destroy(error));
  // A small message can be refused before its consumer starts reading; the refusal stays on the stream
  // (`errored`) and is what the consumer's first read rejects with, so it is not an unhandled event.
  verifier.on('error', () => undefined);
  verifier.on('close', () => {
    if (!source.readableEnded) source.destroy();
  });
  return source.pipe(verifier);
}

const BASE64_LINE = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Armor headers are stored as sent and never decoded, so they are outside the ciphertext check: unbounded,
 * they would carry case notes in clear ("Comment: ..."). What encoders write is a short banner or none
 * (GnuPG 2.1+ and OpenPGP.js: none; GnuPG 1.x "Version: GnuPG v1"; GPG Suite and Enigmail one Comment
 * line; OpenPGP.js 4 a Version and a Comment line, 59 characters), so two RFC 9580 §6.2.2 header lines
 * of printable ASCII, 128 characters in all, take every one of them and leave no room for a document.
 */
const ARMOR_HEADER = /^(Version|Comment|Charset|Hash|MessageID): [\x20-\x7e]+$/;
const MAX_ARMOR_HEADER_LINES = 2;
const MAX_ARMOR_HEADER_CHARS = 128;

/** RFC 9580 §6.2 armor, line by line: BEGIN line, headers, blank line, base64, optional checksum, END. */
class ArmorBodyDecoder {
  private state: 'start' | 'headers' | 'body' | 'checksum' | 'end' = 'start';
  private carry = '';
  private headerLines = 0;
  private headerChars = 0;

  line(raw: Uint8Array): Uint8Array {
    const line = Buffer.from(raw).toString('latin1').trim();
    switch (this.state) {
      case 'start':
        if (line === '') return EMPTY;
        if (line !== '-----BEGIN PGP MESSAGE-----') throw armorError('not a PGP MESSAGE armor');
        this.state = 'headers';
        return EMPTY;
      case 'headers':
        if (line === '') {
          this.state = 'body';
          return EMPTY;
        }
        this.headerLines += 1;
        this.headerChars += line.length;
        if (
          !ARMOR_HEADER.test(line) ||
          this.headerLines > MAX_ARMOR_HEADER_LINES ||
          this.headerChars > MAX_ARMOR_HEADER_CHARS
        )
          throw armorError('armor headers other than a short Version or Comment line');
        return EMPTY;
      case 'body': {
        if (line === '-----END PGP MESSAGE-----') {
          this.state = 'end';
          return this.finish();
        }
        if (line.startsWith('=') && line.length === 5) {
          this.state = 'checksum';
          return this.finish();
        }
        if (!BASE64_LINE.test(line)) throw armorError('bad armor body');
        const all = this.carry + line;
        const usable = all.length - (all.length % 4);
        this.carry = all.slice(usable);
        return new Uint8Array(Buffer.from(all.slice(0, usable), 'base64'));
      }
      case 'checksum':
        if (line === '') return EMPTY;
        if (line !== '-----END PGP MESSAGE-----') throw armorError('no END line after the checksum');
        this.state = 'end';
        return EMPTY;
      case 'end':
        if (line !== '') throw armorError('text after the END line');
        return EMPTY;
    }
  }

  end(): void {
    if (this.state !== 'end') throw armorError('the armor ends before its END line');
  }

  private finish(): Uint8Array {
    if (this.carry.length % 4 !== 0) throw armorError('truncated base64');
    return EMPTY;
  }
}

const EMPTY = new Uint8Array(0);

function armorError(detail: string): MessageError {
  return new MessageError('message.malformed', `Not a well-formed encrypted OpenPGP message: ${detail}`);
}
