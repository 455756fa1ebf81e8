import {
  generateOrganisationKey,
  inspectPublicKey,
  isCryptoError,
  STRICT_CONFIG,
  unlockPrivateKey,
  type PrivateKey,
} from '@accord/crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { decryptKey, encryptKey, readKeys, readPrivateKeys, type Key } from 'openpgp';
import { CliError } from './cli-error';
import type { KeyringEntry } from './keyring';

export interface NewKeyOptions {
  org: string;
  name: string;
  email: string;
  passphrase: string;
  now?: Date;
}

/** A new Curve25519 organisation key (libs/crypto), its private half protected by the passphrase. */
export async function newOrganisationKeyEntry(options: NewKeyOptions): Promise<KeyringEntry> {
  const now = options.now ?? new Date();
  const key = await generateOrganisationKey({
    name: options.name,
    email: options.email,
    passphrase: options.passphrase,
    now,
  }).catch(rethrowAsCliError);
  return {
    fingerprint: key.fingerprint,
    org: options.org,
    userIds: [`${options.name} <${options.email}>`],
    addedAt: now.toISOString(),
    publicKey: key.publicKey,
    privateKey: key.privateKey,
    revocationCertificate: key.revocationCertificate,
  };
}

export interface ImportOptions {
  org: string | null;
  /** The keyring passphrase, asked for only when the text holds a private key. */
  keyringPassphrase: () => Promise<string>;
  /** What the exported key is protected with, when not the keyring passphrase (gpg's own, say). */
  sourcePassphrase?: () => Promise<string | undefined>;
  now?: Date;
}

/**
 * Keyring entries from armored text (`gpg --export --armor` or `--export-secret-keys --armor`, one key or
 * several). Each must pass the organisation-key rules, so a key the server would refuse is refused here.
 * A private key is unlocked (with gpg's passphrase if it has one) and protected again with the keyring's,
 * so every private key in the keyring opens with the same passphrase.
 */
export async function entriesFromArmored(text: string, options: ImportOptions): Promise<KeyringEntry[]> {
  const now = options.now ?? new Date();
  const addedAt = now.toISOString();
  if (/-----BEGIN PGP PRIVATE KEY BLOCK-----/.test(text)) {
    let keys: PrivateKey[];
    try {
      keys = await readPrivateKeys({ armoredKeys: text, config: STRICT_CONFIG });
    } catch {
      throw new CliError('not an ASCII-armored OpenPGP private key [key.not-private]');
    }
    const keyringPassphrase = await options.keyringPassphrase();
    const entries: KeyringEntry[] = [];
    for (const key of keys) {
      const unlocked = key.isDecrypted()
        ? key
        : await unlockImported(key, (await options.sourcePassphrase?.()) ?? keyringPassphrase);
      const inspected = await inspect(unlocked, now);
      const protectedKey = await encryptKey({
        privateKey: unlocked,
        passphrase: keyringPassphrase,
        config: STRICT_CONFIG,
      });
      entries.push({
        fingerprint: inspected.fingerprint,
        org: options.org,
        userIds: inspected.userIds,
        addedAt,
        publicKey: inspected.armored,
        privateKey: protectedKey.armor(STRICT_CONFIG),
      });
    }
    return entries;
  }
  let keys: Key[];
  try {
    keys = await readKeys({ armoredKeys: text, config: STRICT_CONFIG });
  } catch {
    throw new CliError('not an ASCII-armored OpenPGP key [key.unparseable]');
  }
  const entries: KeyringEntry[] = [];
  for (const key of keys) {
    const inspected = await inspect(key, now);
    entries.push({
      fingerprint: inspected.fingerprint,
      org: options.org,
      userIds: inspected.userIds,
      addedAt,
      publicKey: inspected.armored,
    });
  }
  return entries;
}

async function unlockImported(key: PrivateKey, passphrase: string): Promise<PrivateKey> {
  try {
    return await decryptKey({ privateKey: key, passphrase, config: STRICT_CONFIG });
  } catch {
    throw new CliError(
      `the passphrase does not unlock key ${key.getFingerprint()} ` +
        '(give its own with --import-passphrase-file) [key.bad-passphrase]',
    );
  }
}

async function inspect(key: Key, now: Date) {
  return inspectPublicKey(key.toPublic().armor(STRICT_CONFIG), { now }).catch(rethrowAsCliError);
}

/** The entry's private key, unlocked for signing or decrypting. */
export async function unlockEntry(entry: KeyringEntry, passphrase: string): Promise<PrivateKey> {
  if (!entry.privateKey) throw new CliError(`the keyring holds only the public half of ${entry.fingerprint}`);
  try {
    const key = await unlockPrivateKey(entry.privateKey, passphrase);
    collectGarbage();
    return key;
  } catch (error) {
    if (isCryptoError(error) && error.code === 'key.bad-passphrase') {
      throw new CliError(`the passphrase does not unlock key ${entry.fingerprint} [key.bad-passphrase]`);
    }
    return rethrowAsCliError(error);
  }
}

/**
 * openpgp's iterated S2K builds the whole iteration count (about 62 MiB for GnuPG's default) as one buffer
 * and hashes it; V8 leaves that garbage in place well into the transfer that follows, so a share's peak
 * memory was the S2K buffer plus the stream's working set (146 MiB for 50 MiB, against 120 once collected).
 * One full collection here bounds the peak by the larger of the two. Best effort: without it only the peak
 * is higher.
 */
function collectGarbage(): void {
  try {
    setFlagsFromString('--expose-gc');
    (runInNewContext('gc') as () => void)();
  } catch {
    // a runtime that refuses the flag: nothing is lost but memory headroom
  }
}

/** A crypto library error as one line with its stable code; anything else is a bug and keeps its stack. */
export function rethrowAsCliError(error: unknown): never {
  if (isCryptoError(error)) throw new CliError(`${error.title} [${error.code}]`);
  throw error;
}
