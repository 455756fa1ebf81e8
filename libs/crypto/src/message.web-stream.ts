import {
  createMessage,
  decrypt,
  encrypt,
  enums,
  readMessage,
  type Message,
  type PrivateKey,
  type PublicKey,
  type SessionKey,
} from 'openpgp';
import { KeyValidationError, MessageError } from './crypto.errors';
import { assertUnlocked } from './key-generation';
import { DEFAULT_MAX_PLAINTEXT_BYTES, STRICT_CONFIG } from './openpgp.config';
import { inspectKey, resolvePublicKey } from './public-key.inspector';
import { judgeSignatures, type SignatureVerdict } from './signature.verdict';

/**
 * Encryption and verified decryption over WHATWG byte streams, with nothing from Node: the CLI and the api
 * (through encrypt.stream.ts and decrypt.stream.ts) and the browser app's Web Worker run this same code, so a
 * document the browser writes follows the same rules (cipher suite, recipients checked, one-pass signature)
 * as one the CLI writes, and the browser refuses what the CLI refuses.
 */

export interface EncryptOptions {
  /** Recipient public keys (armored or parsed); each must pass the organisation-key rules at `now`. */
  encryptionKeys: readonly (string | PublicKey)[];
  /** An unlocked private key (unlockPrivateKey) to sign with; one-pass signature, verified on decrypt. */
  signingKey?: PrivateKey;
  /**
   * Opt-in RFC 9580 SEIPDv2 with AES-GCM, for recipients known to read it (openpgp.js 6, Sequoia; not
   * GnuPG 2.2/2.4). Default: SEIPDv1 with MDC, which every OpenPGP implementation reads.
   */
  aead?: 'gcm';
  /** Signature and literal-data time; defaults to the current time. */
  now?: Date;
  /** Name recorded in the literal data packet (gpg uses it for --use-embedded-filename). Default none. */
  filename?: string;
}

/**
 * Encrypts a byte stream to several public keys as a binary OpenPGP message, streaming end to end (memory
 * does not grow with the input). Uncompressed. Key problems are reported before any byte is read, as
 * KeyValidationError with the rule's code.
 */
export async function encryptWebStream(
  input: ReadableStream<Uint8Array>,
  options: EncryptOptions,
): Promise<ReadableStream<Uint8Array>> {
  const now = options.now ?? new Date();
  if (options.encryptionKeys.length === 0)
    throw new KeyValidationError('key.no-encryption-subkey', 'No recipients');
  const recipients: PublicKey[] = [];
  for (const key of options.encryptionKeys) {
    const parsed = await resolvePublicKey(key);
    await inspectKey(parsed, now);
    recipients.push(parsed);
  }
  if (options.signingKey) await assertCanSign(options.signingKey, now);

  const message = await createMessage({
    binary: input,
    format: 'binary',
    date: now,
    ...(options.filename ? { filename: options.filename } : {}),
  });
  const encrypted = await encrypt({
    message,
    encryptionKeys: recipients,
    ...(options.signingKey ? { signingKeys: options.signingKey } : {}),
    sessionKey: await sessionKeyFor(recipients, now, options.aead),
    format: 'binary',
    date: now,
    config: STRICT_CONFIG,
  });
  return encrypted as unknown as ReadableStream<Uint8Array>;
}

/**
 * We choose the cipher suite ourselves instead of letting openpgp negotiate it: openpgp switches to
 * SEIPDv2 whenever every recipient advertises it, and then falls back to OCB (docs/architecture.md §19.1:
 * never OCB; GnuPG 2.2 partners need SEIPDv1). AES-256 when every recipient lists it, else AES-128 (mandatory
 * to implement in RFC 9580). The key comes from Web Crypto, which Node and browsers both provide.
 */
async function sessionKeyFor(
  recipients: PublicKey[],
  now: Date,
  aead: 'gcm' | undefined,
): Promise<SessionKey> {
  let aes256 = true;
  for (const key of recipients) {
    const { selfCertification } = await key.getPrimaryUser(now, undefined, STRICT_CONFIG);
    if (!selfCertification.preferredSymmetricAlgorithms?.includes(enums.symmetric.aes256)) aes256 = false;
  }
  const algorithm = aes256 ? 'aes256' : 'aes128';
  const data = globalThis.crypto.getRandomValues(new Uint8Array(aes256 ? 32 : 16));
  return aead ? { data, algorithm, aeadAlgorithm: aead } : { data, algorithm };
}

async function assertCanSign(key: PrivateKey, now: Date): Promise<void> {
  assertUnlocked(key);
  try {
    await key.getSigningKey(undefined, now, undefined, STRICT_CONFIG);
  } catch {
    throw new KeyValidationError('key.invalid', 'The signing key has no valid signing (sub)key at this time');
  }
}

export interface VerifiedDecryptOptions {
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

/**
 * Decrypts `input` (binary, or armored when `armored`) and hands each plaintext chunk to `sink`, which must
 * release nothing until this resolves: openpgp streams an MDC message's plaintext only with
 * `allowUnauthenticatedStream` on, and the MDC and the signatures are known only at the end. The caller's
 * sink is therefore a spool (a file the CLI renames at the end; Blob parts the browser saves at the end) that
 * it discards when this rejects. Every failure during the pass becomes the same
 * `message.integrity-check-failed`, so a modified ciphertext cannot be told apart by its error (no format
 * oracle); only the size cap is reported as itself.
 */
export async function decryptVerifiedWebStream(
  input: ReadableStream<Uint8Array>,
  armored: boolean,
  options: VerifiedDecryptOptions,
  sink: (chunk: Uint8Array) => void | Promise<void>,
): Promise<SignatureVerdict & { size: number }> {
  assertUnlocked(options.privateKey);
  const now = options.now ?? new Date();
  const maxBytes = options.maxDecompressedBytes ?? DEFAULT_MAX_PLAINTEXT_BYTES;
  const senderKeys: PublicKey[] = [];
  for (const key of options.senderKeys) senderKeys.push(await resolvePublicKey(key));

  const message = await readEncrypted(input, armored);
  const result = await decrypt({
    message,
    decryptionKeys: options.privateKey,
    verificationKeys: senderKeys,
    format: 'binary',
    date: now,
    config: { ...STRICT_CONFIG, allowUnauthenticatedStream: true, maxDecompressedMessageSize: maxBytes },
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
  const size = await drain(result.data as unknown as ReadableStream<Uint8Array>, maxBytes, sink);
  const verdict = judgeSignatures(await settled, senderKeys, options.allowUnsigned ?? false);
  return { ...verdict, size };
}

async function readEncrypted(web: ReadableStream<Uint8Array>, armored: boolean): Promise<Message<never>> {
  try {
    if (armored) {
      // Cast: Node's and the DOM's typings of TextDecoderStream disagree on its writable side's chunk type.
      const decoder = new TextDecoderStream('utf-8') as unknown as TransformStream<Uint8Array, string>;
      const text = web.pipeThrough(decoder);
      return (await readMessage({ armoredMessage: text, config: STRICT_CONFIG })) as Message<never>;
    }
    return (await readMessage({ binaryMessage: web, config: STRICT_CONFIG })) as Message<never>;
  } catch {
    throw new MessageError('message.integrity-check-failed');
  }
}

/** Feeds the plaintext to the sink, counting bytes against the cap as they come. */
async function drain(
  data: ReadableStream<Uint8Array>,
  maxBytes: number,
  sink: (chunk: Uint8Array) => void | Promise<void>,
): Promise<number> {
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
      await sink(chunk.value);
    }
  } catch (error) {
    await reader.cancel().catch(() => undefined);
    throw error;
  }
  return size;
}
