export * from './crypto.errors';
export { STRICT_CONFIG, DEFAULT_MAX_PLAINTEXT_BYTES, WILDCARD_KEY_ID } from './openpgp.config';
export { MIN_RSA_BITS, type KeyAlgorithm } from './key-algorithm.policy';
export { inspectPublicKey, type InspectedPublicKey, type InspectOptions } from './public-key.inspector';
export * from './key-generation';
export { type ByteSource } from './byte-streams';
export type { AeadAlgorithmName, EncryptionContainer } from './packet-header.parser';
export * from './message-recipients';
export { EncryptedMessageScanner } from './encrypted-message.scanner';
export { verifiedEncryptedStream } from './verified-message.stream';
export {
  fileSignatureAt,
  histogram,
  judgeWindow,
  WINDOW_BYTES,
  type WindowVerdict,
} from './ciphertext.statistics';
export * from './encrypt.stream';
export * from './decrypt.stream';
export type { SignatureVerdict } from './signature.verdict';
export type { PrivateKey, PublicKey } from 'openpgp';
