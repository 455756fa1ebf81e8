import { createCipheriv, createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { encryptStream, unlockPrivateKey, type PrivateKey, type PublicKey } from '@accord/crypto';
import { readKey } from 'openpgp';

/**
 * Document bodies for the share workloads: incompressible and reproducible (AES-256-CTR keystream under a
 * key derived from a seed), at several hundred MiB/s, so generating 100 MiB does not dominate the setup.
 */
export function pseudoRandomBytes(size: number, seed: string): Buffer {
  const key = createHash('sha256').update(`key:${seed}`).digest();
  const iv = createHash('sha256').update(`iv:${seed}`).digest().subarray(0, 16);
  return createCipheriv('aes-256-ctr', key, iv).update(Buffer.alloc(size));
}

/** `size` pseudo-random bytes as a stream of `chunkSize` chunks, generated as they are read. */
export function pseudoRandomStream(size: number, seed: string, chunkSize = 1024 * 1024): Readable {
  const key = createHash('sha256').update(`key:${seed}`).digest();
  const iv = createHash('sha256').update(`iv:${seed}`).digest().subarray(0, 16);
  const cipher = createCipheriv('aes-256-ctr', key, iv);
  const zeros = Buffer.alloc(chunkSize);
  let produced = 0;
  return new Readable({
    read() {
      if (produced >= size) return void this.push(null);
      const length = Math.min(chunkSize, size - produced);
      produced += length;
      this.push(cipher.update(length === chunkSize ? zeros : zeros.subarray(0, length)));
    },
  });
}

export interface ClientKeys {
  /** Armored public key of the recipient organisation. */
  recipientPublic: string;
  /** Armored, unprotected private key of the sender organisation (the bench's own throwaway key). */
  senderPrivate: string;
}

/** What `accord share` does to a document before upload: encrypt to the recipient's key, sign as the sender. */
export class ClientEncryptor {
  private constructor(
    private readonly recipient: PublicKey,
    private readonly signingKey: PrivateKey,
  ) {}

  static async create(keys: ClientKeys): Promise<ClientEncryptor> {
    // Parsed once, as a client holding the partner's key would; encryptStream still checks it on every call.
    return new ClientEncryptor(
      await readKey({ armoredKey: keys.recipientPublic }),
      await unlockPrivateKey(keys.senderPrivate),
    );
  }

  /** The whole message as a stream, generated as it is read (a large document never sits in memory). */
  encryptStream(plaintext: Readable): Promise<Readable> {
    return encryptStream(plaintext, { encryptionKeys: [this.recipient], signingKey: this.signingKey });
  }

  async encrypt(plaintext: Uint8Array): Promise<Buffer> {
    const stream = await encryptStream(plaintext, {
      encryptionKeys: [this.recipient],
      signingKey: this.signingKey,
    });
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
    return Buffer.concat(chunks);
  }
}
