import { randomBytes } from 'node:crypto';
import { mkdtemp, open, rename, rm, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import type { PublicKey } from 'openpgp';
import { nodeToWeb, type ByteSource } from './byte-streams';
import { MessageError } from './crypto.errors';
import { assertUnlocked } from './key-generation';
import { peekMessage, type MessageRecipients } from './message-recipients';
import { decryptVerifiedWebStream, type VerifiedDecryptOptions } from './message.web-stream';
import { WILDCARD_KEY_ID } from './openpgp.config';
import { resolvePublicKey } from './public-key.inspector';
import type { SignatureVerdict } from './signature.verdict';

export type DecryptOptions = VerifiedDecryptOptions;

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
  // Resolved before the download is touched, so a bad sender key fails first (and is parsed once).
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
    const file = await open(spoolPath, 'wx', 0o600);
    try {
      const web = nodeToWeb(stream) as unknown as ReadableStream<Uint8Array>;
      const sink = async (chunk: Uint8Array) => void (await file.write(chunk));
      ({ size, ...verdict } = await decryptVerifiedWebStream(
        web,
        recipients.armored,
        { ...options, senderKeys },
        sink,
      ));
      await file.sync();
    } finally {
      await file.close();
    }
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
