import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { generateKey, type PrivateKey, type PublicKey, type SubkeyOptions } from 'openpgp';

/** Real keys for specs; all Curve25519 (milliseconds to make) unless a rule needs otherwise. */
export interface TestKey {
  publicKey: PublicKey;
  privateKey: PrivateKey;
  armoredPublic: string;
  armoredPrivate: string;
}

export interface TestKeyOptions {
  name?: string;
  date?: Date;
  keyExpirationTime?: number;
  subkeys?: SubkeyOptions[];
  /** Generate with openpgp's aeadProtect, so the key advertises SEIPDv2 (and an OCB fallback). */
  advertiseAead?: boolean;
  type?: 'ecc' | 'rsa' | 'curve25519';
  rsaBits?: number;
  curve?: 'ed25519Legacy' | 'nistP256';
  v6?: boolean;
}

export async function makeTestKey(options: TestKeyOptions = {}): Promise<TestKey> {
  const type = options.type ?? 'ecc';
  const name = options.name ?? 'Test Org';
  const { privateKey, publicKey } = await generateKey({
    type,
    ...(type === 'ecc' ? { curve: options.curve ?? 'ed25519Legacy' } : {}),
    ...(type === 'rsa' ? { rsaBits: options.rsaBits ?? 3072 } : {}),
    userIDs: [{ name, email: `${name.toLowerCase().replace(/\W+/g, '-')}@test.example` }],
    ...(options.date ? { date: options.date } : {}),
    ...(options.keyExpirationTime ? { keyExpirationTime: options.keyExpirationTime } : {}),
    ...(options.subkeys ? { subkeys: options.subkeys } : {}),
    format: 'object',
    config: { minRSABits: 1024, aeadProtect: options.advertiseAead ?? false, v6Keys: options.v6 ?? false },
  });
  return { publicKey, privateKey, armoredPublic: publicKey.armor(), armoredPrivate: privateKey.armor() };
}

/** A deterministic pseudo-random byte source of `size` bytes in `chunkSize` chunks (incompressible). */
export function pseudoRandomStream(size: number, chunkSize = 64 * 1024, seed = 'accord'): Readable {
  let produced = 0;
  let counter = 0;
  return new Readable({
    read() {
      if (produced >= size) {
        this.push(null);
        return;
      }
      const length = Math.min(chunkSize, size - produced);
      const chunk = Buffer.alloc(length);
      for (let offset = 0; offset < length; offset += 32) {
        createHash('sha256').update(`${seed}:${counter++}`).digest().copy(chunk, offset);
      }
      produced += length;
      this.push(chunk);
    },
  });
}

export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
