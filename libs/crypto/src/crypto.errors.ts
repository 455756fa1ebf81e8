/**
 * The crypto library's errors. Each code is stable (clients and tests depend on it); `status` lets the HTTP
 * edge's problem filter render them without knowing this library. Messages, details and `extra` never carry
 * key material, passphrases, user ids or document content: openpgp's own error text is deliberately dropped
 * because it can echo parts of the input.
 */
type Entry = readonly [status: 413 | 422, title: string];

export const KEY_ERRORS = {
  'key.unparseable': [422, 'Not an ASCII-armored OpenPGP public key'],
  'key.private-key-given': [422, 'A private key was given where a public key is expected'],
  'key.multiple-keys': [422, 'The armored block holds more than one key'],
  'key.revoked': [422, 'Key revoked'],
  'key.expired': [422, 'Key expired'],
  'key.invalid': [422, 'Key has no valid self-signature at this time'],
  'key.too-weak': [422, 'Key algorithm or size too weak'],
  'key.unsupported-algorithm': [422, 'Key algorithm not supported'],
  'key.no-encryption-subkey': [422, 'Key has no valid encryption-capable (sub)key'],
  'key.not-private': [422, 'Not an ASCII-armored OpenPGP private key'],
  'key.bad-passphrase': [422, 'Passphrase does not unlock the private key'],
  'key.locked': [422, 'Private key is still passphrase-protected'],
} as const satisfies Record<string, Entry>;

export const MESSAGE_ERRORS = {
  'message.not-openpgp': [422, 'Not an OpenPGP message'],
  'message.not-encrypted': [422, 'OpenPGP data, but not an encrypted message'],
  'message.no-integrity-protection': [422, 'Encrypted without integrity protection'],
  'message.malformed': [422, 'Not a well-formed encrypted OpenPGP message'],
  'message.not-ciphertext': [422, 'The encrypted data does not look like ciphertext'],
  'message.not-for-this-key': [422, 'Message is not encrypted to this key'],
  'message.integrity-check-failed': [422, 'Message could not be decrypted or was modified'],
  'message.unsigned': [422, 'Message is not signed'],
  'message.bad-signature': [422, 'Signature invalid or not made by an expected sender'],
  'message.too-large': [413, 'Decrypted message exceeds the size limit'],
} as const satisfies Record<string, Entry>;

export type KeyErrorCode = keyof typeof KEY_ERRORS;
export type MessageErrorCode = keyof typeof MESSAGE_ERRORS;
export type CryptoErrorCode = KeyErrorCode | MessageErrorCode;

/** Values safe to show a caller: codes, key ids, fingerprints, counts. */
export type CryptoErrorExtra = Record<string, string | number | boolean | string[]>;

const ALL: Record<CryptoErrorCode, Entry> = { ...KEY_ERRORS, ...MESSAGE_ERRORS };

export abstract class CryptoError extends Error {
  readonly status: number;
  readonly title: string;

  protected constructor(
    readonly code: CryptoErrorCode,
    readonly detail: string,
    readonly extra?: CryptoErrorExtra,
  ) {
    super(`${code}: ${detail}`);
    this.status = ALL[code][0];
    this.title = ALL[code][1];
  }
}

export class KeyValidationError extends CryptoError {
  declare readonly code: KeyErrorCode;

  constructor(code: KeyErrorCode, detail: string = KEY_ERRORS[code][1], extra?: CryptoErrorExtra) {
    super(code, detail, extra);
    this.name = 'KeyValidationError';
  }
}

export class MessageError extends CryptoError {
  declare readonly code: MessageErrorCode;

  constructor(code: MessageErrorCode, detail: string = MESSAGE_ERRORS[code][1], extra?: CryptoErrorExtra) {
    super(code, detail, extra);
    this.name = 'MessageError';
  }
}

export function isCryptoError(error: unknown): error is CryptoError {
  return error instanceof CryptoError;
}
