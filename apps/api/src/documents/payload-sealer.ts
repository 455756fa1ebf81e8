import type { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { DocumentRefusal, evaluatePayloadRecipients, refuse, ShareMode } from '@accord/domain';
import {
  checkRecipients,
  encryptStream,
  MessageError,
  peekMessage,
  verifiedEncryptedStream,
} from '@accord/crypto';
import type { UsableKey } from './organisation-keyring';

export type SealedPayload =
  | { sealed: true; stream: Readable; mode: ShareMode; recipientFingerprints: string[] }
  | { sealed: false; refusal: DocumentRefusal };

/**
 * The refusal for a pre-encrypted upload the verified stream stopped: not the one shape a share may have
 * (`share.payload-malformed`), or an encrypted data packet whose body is not ciphertext
 * (`share.payload-not-ciphertext`). Undefined for any other error.
 */
export function payloadRefusalOf(error: unknown): DocumentRefusal | undefined {
  if (!(error instanceof MessageError)) return undefined;
  if (error.code === 'message.malformed') return refuse('share.payload-malformed', error.detail);
  if (error.code === 'message.not-ciphertext') return refuse('share.payload-not-ciphertext', error.detail);
  return undefined;
}

/**
 * docs/architecture.md §9.5. An OpenPGP message is checked from its PKESK packets without decrypting: exactly
 * the recipients' usable keys, the sender's own allowed besides. Anything else is plaintext and is encrypted
 * here, streaming, to the recipients' keys and the sender's: it exists in clear only in this process's
 * buffers, never on disk. Either way the stream handed back is what gets stored.
 */
@Injectable()
export class PayloadSealer {
  async seal(
    payload: Readable,
    recipientKeys: readonly UsableKey[],
    senderKeys: readonly UsableKey[],
    now: Date,
  ): Promise<SealedPayload> {
    const peeked = await peekMessage(payload);
    if (peeked.encrypted) {
      const check = checkRecipients(peeked.recipients, recipientKeys, { allowExtra: senderKeys });
      const refusal = evaluatePayloadRecipients(check);
      if (refusal) {
        peeked.stream.destroy();
        return { sealed: false, refusal };
      }
      const named = new Set(peeked.recipients.keyIds.map((id) => id.toLowerCase()));
      const sender = senderKeys.filter((k) => k.encryptionKeyIds.some((id) => named.has(id.toLowerCase())));
      return {
        sealed: true,
        // The whole message is parsed and its encrypted body judged as it streams; a byte reaches storage
        // only once judged, so a refused upload leaves nothing behind (docs/security.md, issue 12).
        stream: verifiedEncryptedStream(peeked.stream, { armored: peeked.recipients.armored }),
        mode: 'pre-encrypted',
        recipientFingerprints: [...recipientKeys, ...sender].map((k) => k.fingerprint),
      };
    }
    // Encrypted, but without MDC or AEAD: re-encrypting would hide a message its recipients must not trust.
    if (peeked.error.code === 'message.no-integrity-protection') {
      peeked.stream.destroy();
      return { sealed: false, refusal: refuse('share.payload-not-integrity-protected') };
    }
    const keys = [...new Map([...recipientKeys, ...senderKeys].map((k) => [k.fingerprint, k])).values()];
    const stream = await encryptStream(peeked.stream, { encryptionKeys: keys.map((k) => k.publicKey), now });
    return {
      sealed: true,
      stream,
      mode: 'server-encrypted',
      recipientFingerprints: keys.map((k) => k.fingerprint),
    };
  }
}
