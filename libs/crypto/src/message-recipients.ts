import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { decodeArmorPrefix } from './armor-prefix';
import { asBytes, toNodeReadable, type ByteSource } from './byte-streams';
import { MessageError } from './crypto.errors';
import { WILDCARD_KEY_ID } from './openpgp.config';
import {
  parseEncryptedMessagePrefix,
  type AeadAlgorithmName,
  type EncryptionContainer,
  type PrefixParse,
} from './packet-header.parser';

export interface MessageRecipients {
  /** PKESK key ids, lower-case hex, in message order; `0000000000000000` is an anonymous recipient. */
  keyIds: string[];
  /** Password (SKESK) recipients: never acceptable for a share, reported so the check can refuse them. */
  passwordCount: number;
  container: EncryptionContainer;
  aeadAlgorithm: AeadAlgorithmName | null;
  armored: boolean;
}

/** A stream whose start was read to find its recipients, handed back whole (see peekMessage). */
export type PeekedMessage = { stream: Readable } & (
  { encrypted: true; recipients: MessageRecipients } | { encrypted: false; error: MessageError }
);

export interface PeekOptions {
  /** How far to read looking for the encrypted data packet; 64 KiB holds over a hundred RSA-4096 PKESKs. */
  maxHeaderBytes?: number;
}

const DEFAULT_MAX_HEADER_BYTES = 64 * 1024;

/**
 * The recipients of an OpenPGP message, from its PKESK/SKESK packets only: nothing is decrypted and no
 * key is needed. Bytes in memory give the recipients; a stream gives them plus a stream replaying every
 * byte (see peekMessage). Throws MessageError `message.not-openpgp`, `message.not-encrypted` or
 * `message.no-integrity-protection`.
 */
export function listRecipientKeyIds(bytes: Uint8Array): Promise<MessageRecipients>;
export function listRecipientKeyIds(
  stream: Readable | WebReadableStream<Uint8Array>,
  options?: PeekOptions,
): Promise<{ recipients: MessageRecipients; stream: Readable }>;
export async function listRecipientKeyIds(
  input: Uint8Array | Readable | WebReadableStream<Uint8Array>,
  options?: PeekOptions,
): Promise<MessageRecipients | { recipients: MessageRecipients; stream: Readable }> {
  if (input instanceof Uint8Array) {
    const parsed = parsePrefix(input, true);
    if (!parsed.complete)
      throw new MessageError('message.not-openpgp', 'Not an encrypted OpenPGP message: truncated');
    return parsed.recipients;
  }
  const peeked = await peekMessage(input, options);
  if (!peeked.encrypted) {
    peeked.stream.destroy();
    throw peeked.error;
  }
  return { recipients: peeked.recipients, stream: peeked.stream };
}

/**
 * Reads just enough of a stream to find the session-key packets, then hands the stream back with what was
 * read put back at its front (`unshift`), so the caller can still store or forward the whole message (or,
 * when it is not an encrypted message, encrypt it as a plaintext upload). The same stream rather than a
 * second one replaying the first: every chunk of a large upload would otherwise cross one more stream
 * (bench (i), docs/architecture.md §37.5). At most `maxHeaderBytes` plus what the stream reads ahead (its
 * highWaterMark) is held in memory.
 * Never throws for content; the caller decides.
 */
export async function peekMessage(source: ByteSource, options: PeekOptions = {}): Promise<PeekedMessage> {
  const maxHeaderBytes = options.maxHeaderBytes ?? DEFAULT_MAX_HEADER_BYTES;
  const node = toNodeReadable(source);
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const chunk = await nextChunk(node);
    if (chunk !== null) {
      chunks.push(chunk);
      total += chunk.length;
    }
    const ended = chunk === null;
    let outcome: { recipients: MessageRecipients } | MessageError | null;
    try {
      const parsed = parsePrefix(Buffer.concat(chunks, total), ended);
      outcome = parsed.complete ? parsed : null;
    } catch (error) {
      if (!(error instanceof MessageError)) throw error;
      outcome = error;
    }
    if (outcome === null && ended)
      outcome = notOpenPgp(total === 0 ? 'empty' : 'ends before the encrypted data');
    if (outcome === null && total >= maxHeaderBytes) {
      outcome = notOpenPgp(`no encrypted data within the first ${Math.round(maxHeaderBytes / 1024)} KiB`);
    }
    if (outcome === null) continue;
    const read = Buffer.concat(chunks, total);
    // A stream that has ended (here, or its 'end' emitted since the last chunk) cannot take its bytes back;
    // the (small) message is then all in `read`.
    let stream: Readable;
    if (ended || node.readableEnded) stream = Readable.from([read], { objectMode: false });
    else {
      if (total > 0) node.unshift(read);
      stream = node;
    }
    return outcome instanceof MessageError
      ? { stream, encrypted: false, error: outcome }
      : { stream, encrypted: true, recipients: outcome.recipients };
  }
}

/**
 * The next chunk of a paused stream, or null at its end, leaving the rest unread for whoever reads it next
 * (an async iterator would destroy the stream when left). Rejects with the stream's error, or when it is
 * closed before its end.
 */
function nextChunk(stream: Readable): Promise<Uint8Array | null> {
  return new Promise((resolve, reject) => {
    const settle = (outcome: () => void): void => {
      stream.off('readable', attempt);
      stream.off('end', ended);
      stream.off('error', failed);
      stream.off('close', closed);
      outcome();
    };
    const attempt = (): void => {
      const chunk = stream.read() as unknown;
      if (chunk === null) {
        if (stream.readableEnded) settle(() => resolve(null));
        return;
      }
      settle(() => {
        try {
          resolve(asBytes(chunk));
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      });
    };
    const ended = (): void => settle(() => resolve(null));
    const failed = (error: Error): void => settle(() => reject(error));
    const closed = (): void =>
      settle(() => {
        if (stream.readableEnded) resolve(null);
        else reject(stream.errored ?? new Error('the stream closed before its end'));
      });
    if (stream.errored) return reject(stream.errored);
    if (stream.readableEnded) return resolve(null);
    if (stream.destroyed) return reject(new Error('the stream closed before its end'));
    stream.on('readable', attempt);
    stream.on('end', ended);
    stream.on('error', failed);
    stream.on('close', closed);
  });
}

export interface RecipientKey {
  fingerprint: string;
  /** The key's encryption (sub)key ids, as inspectPublicKey reports them. */
  encryptionKeyIds: readonly string[];
}

export interface RecipientCheck {
  ok: boolean;
  /** Fingerprints of expected keys none of whose encryption key ids the message names. */
  missing: string[];
  /** Key ids the message names that belong to no expected or allowed key (the wildcard always). */
  unexpected: string[];
  passwordCount: number;
}

/**
 * docs/architecture.md §9.5: the message is to exactly the expected keys, optionally also to the keys in
 * `allowExtra` (the sender's own). A key counts as present when any one of its valid encryption key ids
 * is named. Anonymous (wildcard) and password recipients are refused: nobody could tell who can read it.
 */
export function checkRecipients(
  actual: readonly string[] | Pick<MessageRecipients, 'keyIds' | 'passwordCount'>,
  expected: readonly RecipientKey[],
  options: { allowExtra?: readonly RecipientKey[] } = {},
): RecipientCheck {
  const actualIds = (isIdList(actual) ? actual : actual.keyIds).map((id) => id.toLowerCase());
  const passwordCount = isIdList(actual) ? 0 : actual.passwordCount;
  const idsOf = (key: RecipientKey) => key.encryptionKeyIds.map((id) => id.toLowerCase());
  const missing = expected
    .filter((key) => !idsOf(key).some((id) => actualIds.includes(id)))
    .map((k) => k.fingerprint);
  const known = new Set([...expected, ...(options.allowExtra ?? [])].flatMap(idsOf));
  known.delete(WILDCARD_KEY_ID);
  const unexpected = [...new Set(actualIds.filter((id) => !known.has(id)))];
  return {
    ok: missing.length === 0 && unexpected.length === 0 && passwordCount === 0,
    missing,
    unexpected,
    passwordCount,
  };
}

type ParsedPrefix = { complete: true; recipients: MessageRecipients } | { complete: false };

function parsePrefix(bytes: Uint8Array, ended: boolean): ParsedPrefix {
  const armor = decodeArmorPrefix(bytes, ended);
  if (armor.armored && armor.bytes === null) return { complete: false };
  const parsed: PrefixParse = parseEncryptedMessagePrefix(armor.armored ? armor.bytes! : bytes);
  if (!parsed.complete) return { complete: false };
  const { keyIds, passwordCount, container, aeadAlgorithm } = parsed.header;
  return {
    complete: true,
    recipients: { keyIds, passwordCount, container, aeadAlgorithm, armored: armor.armored },
  };
}

function isIdList(value: unknown): value is readonly string[] {
  return Array.isArray(value);
}

function notOpenPgp(detail: string): MessageError {
  return new MessageError('message.not-openpgp', `Not an encrypted OpenPGP message: ${detail}`);
}
