import type { AlgorithmInfo } from 'openpgp';
import { KeyValidationError } from './crypto.errors';

/** A key's family as Accord names it; the raw openpgp name and curve are reported beside it. */
export type KeyAlgorithm =
  | 'curve25519'
  | 'curve448'
  | 'rsa'
  | 'ecdsa-p256'
  | 'ecdsa-p384'
  | 'ecdsa-p521'
  | 'ecdsa-brainpool-p256'
  | 'ecdsa-brainpool-p384'
  | 'ecdsa-brainpool-p512';

export const MIN_RSA_BITS = 3072;

const RSA = new Set(['rsaEncryptSign', 'rsaEncrypt', 'rsaSign']);
/** DSA and ElGamal: 1024-bit DSA is still common in old keyrings and neither is worth supporting now. */
const REFUSED_AS_WEAK = new Set(['dsa', 'elgamal']);

/**
 * Curves accepted for ECDSA and ECDH (labelled by the ECDSA primary they usually belong to). secp256k1 is not
 * an OpenPGP standard curve; Curve25519 appears only as ed25519Legacy (EdDSA) and curve25519Legacy (ECDH).
 */
const NIST_OR_BRAINPOOL: Record<string, KeyAlgorithm> = {
  nistP256: 'ecdsa-p256',
  nistP384: 'ecdsa-p384',
  nistP521: 'ecdsa-p521',
  // Brainpool curves are in RFC 9580 and GnuPG 2.2; allowed, though Curve25519 is what we recommend.
  brainpoolP256r1: 'ecdsa-brainpool-p256',
  brainpoolP384r1: 'ecdsa-brainpool-p384',
  brainpoolP512r1: 'ecdsa-brainpool-p512',
};

/**
 * Checks one (sub)key packet against the organisation-key rules and names its family. Throws
 * `key.too-weak` or `key.unsupported-algorithm`; the detail names the algorithm, never key material.
 */
export function classifyKeyAlgorithm(info: AlgorithmInfo): KeyAlgorithm {
  const name = String(info.algorithm);
  if (RSA.has(name)) {
    if (!info.bits || info.bits < MIN_RSA_BITS) {
      throw new KeyValidationError('key.too-weak', `RSA keys need at least ${MIN_RSA_BITS} bits`, {
        algorithm: 'rsa',
        bits: info.bits ?? 0,
      });
    }
    return 'rsa';
  }
  if (REFUSED_AS_WEAK.has(name)) {
    throw new KeyValidationError('key.too-weak', `${name} keys are not accepted`, { algorithm: name });
  }
  switch (name) {
    case 'ed25519':
    case 'x25519':
      return 'curve25519';
    case 'ed448':
    case 'x448':
      return 'curve448';
    case 'eddsaLegacy':
      if (info.curve === 'ed25519Legacy') return 'curve25519';
      break;
    case 'ecdh':
      if (info.curve === 'curve25519Legacy') return 'curve25519';
      if (info.curve && NIST_OR_BRAINPOOL[info.curve]) return NIST_OR_BRAINPOOL[info.curve]!;
      break;
    case 'ecdsa':
      if (info.curve && NIST_OR_BRAINPOOL[info.curve]) return NIST_OR_BRAINPOOL[info.curve]!;
      break;
  }
  throw new KeyValidationError(
    'key.unsupported-algorithm',
    'Use a Curve25519, NIST P-256/384/521 or RSA-3072+ key',
    {
      algorithm: name,
      ...(info.curve ? { curve: String(info.curve) } : {}),
    },
  );
}
