import { decryptKey, generateKey, readPrivateKey, type PrivateKey } from 'openpgp';
import { KeyValidationError } from './crypto.errors';
import { STRICT_CONFIG } from './openpgp.config';

export interface GenerateOrganisationKeyOptions {
  name: string;
  email: string;
  /** Protects the armored private key (iterated+salted S2K, which GnuPG 2.2 reads). Omit only in tests. */
  passphrase?: string;
  /** Creation time; defaults to the current time. */
  now?: Date;
  /** Seconds from creation; omit for a key that does not expire. */
  expiresInSeconds?: number;
}

export interface GeneratedOrganisationKey {
  publicKey: string;
  privateKey: string;
  revocationCertificate: string;
  /** Lower-case hex. */
  fingerprint: string;
}

/**
 * The recommended organisation key (docs/architecture.md §19.1): a v4 Ed25519 primary (certify + sign) with
 * one Cv25519 encryption subkey. These are the "legacy" algorithm ids on purpose (EdDSA 22, ECDH 18): GnuPG
 * 2.2 does not know RFC 9580's Ed25519/X25519 (27/25) that openpgp's `type: 'curve25519'` would produce. The
 * self-signature advertises MDC only, not SEIPDv2, so no openpgp.js sender negotiates AEAD/OCB to us.
 */
export async function generateOrganisationKey(
  options: GenerateOrganisationKeyOptions,
): Promise<GeneratedOrganisationKey> {
  const generated = await generateKey({
    type: 'ecc',
    curve: 'ed25519Legacy',
    userIDs: [{ name: options.name, email: options.email }],
    ...(options.passphrase ? { passphrase: options.passphrase } : {}),
    ...(options.now ? { date: options.now } : {}),
    ...(options.expiresInSeconds ? { keyExpirationTime: options.expiresInSeconds } : {}),
    format: 'object',
    config: STRICT_CONFIG,
  });
  return {
    publicKey: generated.publicKey.armor(STRICT_CONFIG),
    privateKey: generated.privateKey.armor(STRICT_CONFIG),
    revocationCertificate: generated.revocationCertificate,
    fingerprint: generated.publicKey.getFingerprint().toLowerCase(),
  };
}

/**
 * Reads an armored private key and unlocks it. A key stored without protection (as gpg exports one made
 * with an empty passphrase) is returned as it is. Errors say which rule failed, never why in the key.
 */
export async function unlockPrivateKey(armored: string, passphrase?: string): Promise<PrivateKey> {
  let key: PrivateKey;
  try {
    key = await readPrivateKey({ armoredKey: armored, config: STRICT_CONFIG });
  } catch {
    throw new KeyValidationError('key.not-private');
  }
  if (key.isDecrypted()) return key;
  if (!passphrase) throw new KeyValidationError('key.locked');
  try {
    return await decryptKey({ privateKey: key, passphrase, config: STRICT_CONFIG });
  } catch {
    throw new KeyValidationError('key.bad-passphrase');
  }
}

/** Guards the functions that sign or decrypt: a still-locked key would fail deep inside openpgp. */
export function assertUnlocked(key: PrivateKey): void {
  if (!key.isPrivate() || !key.isDecrypted()) throw new KeyValidationError('key.locked');
}
