import { randomBytes } from 'node:crypto';
import { mkdtemp, open, rename, rm, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { TextDecoderStream } from 'node:stream/web';
import { decrypt, readMessage, type Message, type PrivateKey, type PublicKey } from 'openpgp';
import { nodeToWeb, type ByteSource } from './byte-streams';
import { MessageError } from './crypto.errors';
import { assertUnlocked } from './key-generation';
import { peekMessage, type MessageRecipients } from './message-recipients';
import { DEFAULT_MAX_PLAINTEXT_BYTES, STRICT_CONFIG, WILDCARD_KEY_ID } from './openpgp.config';
import { resolvePublicKey } from './public-key.inspector';
import { judgeSignatures, type SignatureVerdict } from './signature.verdict';

export interface DecryptOptions {
  /** The recipient's unlocked private key (unlockPrivateKey). */
  privateKey: PrivateKey;
  /** Keys whose signature is accepted; a message must carry a valid signature by one of them. */
  senderKeys: readonly (string | PublicKey)[];
  /** Accept a message with no signature at all (e.g. one the server encrypted from a plaintext upload). */
  allowUnsigned?: boolean;
  /** Cap on plaintext (and on openpgp's decompressed size): `message.too-large` beyond it. Default 1 GiB. */
  maxDecompressedBytes?: number;
  /** Time the sender keys are judged at; defaults to the current time. */
  now?: Date;
}

export interface DecryptOutcome extends SignatureVerdict {
  /** Plaintext bytes written. */
  size: number;
  container: MessageRecipients['container'];
}

export interface DecryptedStream extends DecryptOutcome {
  /** Authenticated, signature-checked plaintext, read from an already-unlinked spool file. */
  plaintext: Readable;
}

/**
 * Decrypts into `outPath`, which appears (atomically, by rename) only once the whole message is
 * authenticated and its signature accepted; on any failure nothing is left behind.
 *
 * Why a spool file: openpgp releases a SEIPDv1 (MDC) message's plaintext only after reading all of it
 * into memory when `allowUnauthenticatedStream` is off (measured: +212 MiB RSS for 64 MiB), and
 * signatures are only known at the end of any stream. So this function turns that flag on for this one
 * call, writes the plaintext to an owner-only file nobody reads yet, and releases it after openpgp's end
 * of stream (MDC or AEAD tags checked) and the signature check (RSS grew under 10 MiB for 256 MiB). The
 * flag's risk is plaintext used before its MDC is checked (EFAIL); here nothing reads it before. Every failure
 * during that pass becomes the same `message.integrity-check-failed`, so a modified ciphertext cannot be
 * told apart by its error (no format oracle); only the size cap is reported as itself, possibly before the
 * end of the message is authenticated.
 */
export async function decryptToFile(
  input: ByteSource,
  outPath: string,
  options: DecryptOptions,
): Promise<DecryptOutcome> {
  assertUnlocked(options.privateKey);
  const now = options.now ?? new Date();
  const maxBytes = options.maxDecompressedBytes ?? DEFAULT_MAX_PLAINTEXT_BYTES;
  const senderKeys: PublicKey[] = [];
  for (const key of options.senderKeys) senderKeys.push(await resolvePublicKey(key));

  const peeked = await peekMessage(input);
  if (!peeked.encrypted) {
    peeked.stream.destroy();
    throw peeked.error;
  }
  const { recipients, stream } = peeked;
  const ownIds = options.privateKey.getKeys().map((k) => k.getKeyID().toHex().toLowerCase());
  if (!recipients.keyIds.some((id) => id === WILDCARD_KEY_ID || ownIds.includes(id))) {
    stream.destroy();
    throw new MessageError('message.not-for-this-key');
  }

  const spoolPath = join(dirname(outPath), `.${basename(outPath)}.${randomBytes(6).toString('hex')}.partial`);
  let verdict: SignatureVerdict;
  let size: number;
  try {
    const web = nodeToWeb(stream);
    const message = await readEncrypted(web, recipients.armored);
    const config = {
      ...STRICT_CONFIG,
      allowUnauthenticatedStream: true,
      maxDecompressedMessageSize: maxBytes,
    };
    const result = await decrypt({
      message,
      decryptionKeys: options.privateKey,
      verificationKeys: senderKeys,
      format: 'binary',
      date: now,
      config,
    }).catch(() => {
      throw new MessageError('message.integrity-check-failed');
    });
    // Settle the signature promises now: they reject when the stream fails, and must not go unhandled.
    const settled = Promise.all(
      result.signatures.map((s) => {
        s.signature.catch(() => undefined);
        return s.verified.then(
          () => ({ keyId: s.keyID.toHex().toLowerCase(), ok: true }),
          () => ({ keyId: s.keyID.toHex().toLowerCase(), ok: false }),
        );
      }),
    );
    size = await spool(result.data as unknown as ReadableStream<Uint8Array>, spoolPath, maxBytes);
    verdict = judgeSignatures(await settled, senderKeys, options.allowUnsigned ?? false);
    await rename(spoolPath, outPath);
  } catch (error) {
    stream.destroy();
    await unlink(spoolPath).catch(() => undefined);
    throw error;
  }
  await syncDirectory(dirname(outPath));
  return { ...verdict, size, container: recipients.container };
}

/**
 * decryptToFile into a private temporary directory, then a stream over the verified plaintext. The file is
 * unlinked as soon as it is opened, so nothing is left on disk once the stream closes or the process dies.
 */
export async function decryptStream(
  input: ByteSource,
  options: DecryptOptions & { tmpDir?: string },
): Promise<DecryptedStream> {
  const directory = await mkdtemp(join(options.tmpDir ?? tmpdir(), 'accord-decrypt-'));
  try {
    const path = join(directory, 'plaintext');
    const outcome = await decryptToFile(input, path, options);
    const handle = await open(path, 'r');
    return { ...outcome, plaintext: handle.createReadStream() };
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

async function readEncrypted(web: ReturnType<typeof nodeToWeb>, armored: boolean): Promise<Message<never>> {
  try {
    if (armored) {
      const text = web.pipeThrough(new TextDecoderStream('utf-8'));
      return (await readMessage({
        armoredMessage: text as unknown as ReadableStream<string>,
        config: STRICT_CONFIG,
      })) as Message<never>;
    }
    return (await readMessage({
      binaryMessage: web as unknown as ReadableStream<Uint8Array>,
      config: STRICT_CONFIG,
    })) as Message<never>;
  } catch {
    throw new MessageError('message.integrity-check-failed');
  }
}

/** Writes the stream to a new owner-only file and fsyncs it; counts bytes against the cap as they come. */
async function spool(data: ReadableStream<Uint8Array>, path: string, maxBytes: number): Promise<number> {
  const file = await open(path, 'wx', 0o600);
  const reader = data.getReader();
  let size = 0;
  try {
    for (;;) {
      let chunk: Awaited<ReturnType<typeof reader.read>>;
      try {
        chunk = await reader.read();
      } catch (error) {
        throw /decompressed message size/i.test(error instanceof Error ? error.message : '')
          ? new MessageError('message.too-large', undefined, { maxBytes })
          : new MessageError('message.integrity-check-failed');
      }
      if (chunk.done) break;
      size += chunk.value.length;
      if (size > maxBytes) throw new MessageError('message.too-large', undefined, { maxBytes });
      await file.write(chunk.value);
    }
    await file.sync();
  } catch (error) {
    await reader.cancel().catch(() => undefined);
    throw error;
  } finally {
    await file.close();
  }
  return size;
}

async function syncDirectory(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } catch {
    // Some filesystems refuse fsync on a directory; the file itself is already synced.
  } finally {
    await handle.close();
  }
}
