import type { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { DocumentRefusal, evaluatePayloadRecipients, refuse, ShareMode } from '@accord/domain';
import { checkRecipients, encryptStream, peekMessage } from '@accord/crypto';
import type { UsableKey } from './organisation-keyring';

export type SealedPayload =
  | { sealed: true; stream: Readable; mode: ShareMode; recipientFingerprints: string[] }
  | { sealed: false; refusal: DocumentRefusal };

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
        stream: peeked.stream,
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
