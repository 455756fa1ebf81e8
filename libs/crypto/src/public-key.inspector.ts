import { readKeys, type Key, type PublicKey, type Subkey } from 'openpgp';
import { KeyValidationError } from './crypto.errors';
import { classifyKeyAlgorithm, type KeyAlgorithm } from './key-algorithm.policy';
import { STRICT_CONFIG } from './openpgp.config';

/** What Accord records about an organisation key once it passed every rule. */
export interface InspectedPublicKey {
  /** Primary key fingerprint, lower-case hex (40 chars for v4, 64 for v6). */
  fingerprint: string;
  /** Primary key id, 16 lower-case hex chars. */
  keyId: string;
  version: number;
  /** Family of the primary key; `openpgpAlgorithm`, `bits` and `curve` give the detail. */
  algorithm: KeyAlgorithm;
  openpgpAlgorithm: string;
  bits?: number;
  curve?: string;
  /** ISO-8601 UTC. */
  createdAt: string;
  /** ISO-8601 UTC, or null when the key does not expire. */
  expiresAt: string | null;
  /** Every (sub)key valid for encryption at `now`; a PKESK to any of them counts as "to this key". */
  encryptionKeyIds: string[];
  userIds: string[];
  /** The key re-armored on its own: public packets only, no armor comments. What to store. */
  armored: string;
}

export interface InspectOptions {
  /** The instant the rules are judged at (expiry, revocation, subkey validity). */
  now: Date;
}

/** Large enough for any sane certificate with many certifications; stops a parse of a huge upload. */
const MAX_ARMORED_KEY_CHARS = 1024 * 1024;

/**
 * Validates an ASCII-armored organisation public key against docs/architecture.md §19.1 and returns what to
 * record. Rules, in the order they are checked (the first broken one is reported): one public key per block,
 * not revoked, not expired, a valid self-signature, strong enough algorithms (primary and every valid
 * subkey), at least one valid encryption-capable (sub)key.
 */
export async function inspectPublicKey(
  armored: string,
  options: InspectOptions,
): Promise<InspectedPublicKey> {
  const key = await readOnePublicKey(armored);
  return inspectKey(key, options.now);
}

/** Parses exactly one public key (no rules about validity); the first three rules of inspectPublicKey. */
export async function readOnePublicKey(armored: string): Promise<PublicKey> {
  if (typeof armored !== 'string' || armored.length === 0 || armored.length > MAX_ARMORED_KEY_CHARS) {
    throw new KeyValidationError('key.unparseable');
  }
  // Refuse a secret key before parsing it: secret material should not travel further than it has to.
  if (/-----BEGIN PGP PRIVATE KEY BLOCK-----/.test(armored))
    throw new KeyValidationError('key.private-key-given');
  let keys: Key[];
  try {
    keys = await readKeys({ armoredKeys: armored, config: STRICT_CONFIG });
  } catch {
    throw new KeyValidationError('key.unparseable');
  }
  if (keys.length === 0) throw new KeyValidationError('key.unparseable');
  if (keys.some((k) => k.isPrivate())) throw new KeyValidationError('key.private-key-given');
  if (keys.length > 1) throw new KeyValidationError('key.multiple-keys', undefined, { count: keys.length });
  return keys[0] as PublicKey;
}

/** Accepts a key as callers hold it: armored text (parsed, one key only) or an openpgp key object. */
export async function resolvePublicKey(key: string | PublicKey): Promise<PublicKey> {
  return typeof key === 'string' ? readOnePublicKey(key) : key;
}

/** The rules of inspectPublicKey applied to an already parsed key (public half of a private key too). */
export async function inspectKey(key: Key, now: Date): Promise<InspectedPublicKey> {
  const extra = { keyId: key.getKeyID().toHex() };
  if (await key.isRevoked(undefined, undefined, now, STRICT_CONFIG)) {
    throw new KeyValidationError('key.revoked', undefined, extra);
  }
  const expiration = await key.getExpirationTime(undefined, STRICT_CONFIG);
  if (expiration instanceof Date && expiration.getTime() <= now.getTime()) {
    throw new KeyValidationError('key.expired', undefined, { ...extra, expiredAt: expiration.toISOString() });
  }
  try {
    await key.verifyPrimaryKey(now, undefined, STRICT_CONFIG);
  } catch (error) {
    // openpgp reports these two as plain Errors; the checks above catch the usual cases first.
    const message = error instanceof Error ? error.message : '';
    if (/revoked/i.test(message)) throw new KeyValidationError('key.revoked', undefined, extra);
    if (/expired/i.test(message)) throw new KeyValidationError('key.expired', undefined, extra);
    throw new KeyValidationError('key.invalid', undefined, extra);
  }

  const info = key.getAlgorithmInfo();
  const algorithm = classifyKeyAlgorithm(info);
  const validSubkeys = await subkeysValidAt(key, now);
  for (const subkey of validSubkeys) classifyKeyAlgorithm(subkey.getAlgorithmInfo());

  const encryptionKeyIds = await encryptionKeyIdsAt(key, validSubkeys, now);
  if (encryptionKeyIds.length === 0)
    throw new KeyValidationError('key.no-encryption-subkey', undefined, extra);

  return {
    fingerprint: key.getFingerprint().toLowerCase(),
    keyId: key.getKeyID().toHex().toLowerCase(),
    version: key.keyPacket.version,
    algorithm,
    openpgpAlgorithm: String(info.algorithm),
    ...(info.bits ? { bits: info.bits } : {}),
    ...(info.curve ? { curve: String(info.curve) } : {}),
    createdAt: key.getCreationTime().toISOString(),
    expiresAt: expiration instanceof Date ? expiration.toISOString() : null,
    encryptionKeyIds,
    userIds: key.getUserIDs(),
    armored: key.toPublic().armor(STRICT_CONFIG),
  };
}

async function subkeysValidAt(key: Key, now: Date): Promise<Subkey[]> {
  const valid: Subkey[] = [];
  for (const subkey of key.subkeys) {
    try {
      await subkey.verify(now, STRICT_CONFIG);
      valid.push(subkey);
    } catch {
      // An expired, revoked or unbound subkey is never used, so its strength does not matter.
    }
  }
  return valid;
}

/**
 * Asks openpgp itself, key id by key id, which (sub)keys it would encrypt to at `now`: the same validity,
 * key-flag and strength checks as encryption, so the list cannot drift from what encryptStream does.
 */
async function encryptionKeyIdsAt(key: Key, validSubkeys: Subkey[], now: Date): Promise<string[]> {
  const ids: string[] = [];
  for (const candidate of [...validSubkeys, key]) {
    try {
      const chosen = await key.getEncryptionKey(candidate.getKeyID(), now, undefined, STRICT_CONFIG);
      const id = chosen.getKeyID().toHex().toLowerCase();
      if (!ids.includes(id)) ids.push(id);
    } catch {
      // not an encryption key at `now`
    }
  }
  return ids;
}
