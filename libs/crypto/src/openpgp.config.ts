import { config as openpgpDefaults, enums, type Config } from 'openpgp';

/**
 * The one openpgp configuration every call in this library passes explicitly (never the mutable global
 * `openpgp.config`, which another import could change). docs/architecture.md §19.1 "OpenPGP settings":
 * - minRSABits 3072;
 * - v4 keys and SEIPDv1 (MDC) messages so GnuPG 2.2 partners can read them; AEAD only per call, and then
 *   GCM, never OCB (the cipher suite is forced through an explicit session key, see encrypt.stream.ts,
 *   because openpgp negotiates SEIPDv2 from the recipients' feature flags whatever `aeadProtect` says);
 * - no compression when we write (already-compressed documents gain nothing; decompression bombs);
 * - allowUnauthenticatedStream stays false here; only decrypt.stream.ts turns it on, for a spool that
 *   releases nothing before authentication (see there).
 * It is a full Config (defaults copied at load, then ours on top) because Key and Message methods take a
 * Config as is, without merging in the defaults as the top-level functions do.
 */
export const STRICT_CONFIG: Config = Object.freeze({
  ...openpgpDefaults,
  minRSABits: 3072,
  v6Keys: false,
  aeadProtect: false,
  preferredAEADAlgorithm: enums.aead.gcm,
  preferredCompressionAlgorithm: enums.compression.uncompressed,
  allowUnauthenticatedMessages: false,
  allowUnauthenticatedStream: false,
  allowInsecureDecryptionWithSigningKeys: false,
  allowInsecureVerificationWithReformattedKeys: false,
  enforceGrammar: true,
  showVersion: false,
  showComment: false,
});

/** Default cap on the plaintext a decryption may produce: 1 GiB. */
export const DEFAULT_MAX_PLAINTEXT_BYTES = 1024 * 1024 * 1024;

/** Key ids and fingerprints are compared as lower-case hex everywhere in Accord. */
export const WILDCARD_KEY_ID = '0000000000000000';
