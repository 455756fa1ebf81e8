import type { PublicKey } from 'openpgp';
import { MessageError } from './crypto.errors';

export interface SignatureVerdict {
  /** True when a signature by one of the sender keys verified; false only for an allowed unsigned message. */
  signatureValid: boolean;
  /** The signing (sub)key id, lower-case hex. */
  signerKeyId: string | null;
  /** Primary fingerprint of the sender key that signed, lower-case hex. */
  signerFingerprint: string | null;
}

export interface CheckedSignature {
  keyId: string;
  ok: boolean;
}

/**
 * One valid signature by an expected sender is enough (gpg can add more, e.g. with several --local-user).
 * A message that is signed, but by nobody we expect or invalidly, is refused outright: it is either
 * tampered with or not from who the caller thinks.
 */
export function judgeSignatures(
  checked: readonly CheckedSignature[],
  senderKeys: readonly PublicKey[],
  allowUnsigned: boolean,
): SignatureVerdict {
  for (const signature of checked) {
    if (!signature.ok) continue;
    const sender = senderKeys.find((key) =>
      key.getKeys().some((k) => k.getKeyID().toHex().toLowerCase() === signature.keyId),
    );
    if (sender) {
      return {
        signatureValid: true,
        signerKeyId: signature.keyId,
        signerFingerprint: sender.getFingerprint().toLowerCase(),
      };
    }
  }
  if (checked.length === 0) {
    if (allowUnsigned) return { signatureValid: false, signerKeyId: null, signerFingerprint: null };
    throw new MessageError('message.unsigned');
  }
  throw new MessageError('message.bad-signature', undefined, { signerKeyIds: checked.map((s) => s.keyId) });
}
