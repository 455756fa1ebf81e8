import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { createMessage, encrypt, enums, type PrivateKey, type PublicKey, type SessionKey } from 'openpgp';
import { nodeToWeb, toNodeReadable, webToNode, type ByteSource } from './byte-streams';
import { KeyValidationError } from './crypto.errors';
import { assertUnlocked } from './key-generation';
import { STRICT_CONFIG } from './openpgp.config';
import { inspectKey, resolvePublicKey } from './public-key.inspector';

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
export async function encryptStream(input: ByteSource, options: EncryptOptions): Promise<Readable> {
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
    binary: nodeToWeb(toNodeReadable(input)) as unknown as ReadableStream<Uint8Array>,
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
  return webToNode(encrypted as unknown as Parameters<typeof webToNode>[0]);
}

/**
 * We choose the cipher suite ourselves instead of letting openpgp negotiate it: openpgp switches to
 * SEIPDv2 whenever every recipient advertises it, and then falls back to OCB (docs/architecture.md §19.1:
 * never OCB; GnuPG 2.2 partners need SEIPDv1). AES-256 when every recipient lists it, else AES-128 (mandatory
 * to implement in RFC 9580).
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
  const data = new Uint8Array(randomBytes(aes256 ? 32 : 16));
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
