import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { createMessage, encrypt, type PublicKey } from 'openpgp';
import { MessageError } from './crypto.errors';
import { EncryptedMessageScanner } from './encrypted-message.scanner';
import { makeTestKey, readAll, type TestKey } from './testing/test-keys';
import { disguise } from './testing/disguised-plaintext';
import { verifiedEncryptedStream } from './verified-message.stream';

const NOW = new Date('2026-01-15T12:00:00Z');

async function encryptTo(keys: PublicKey[], bytes: Uint8Array, armored = false): Promise<Uint8Array> {
  const message = await createMessage({ binary: bytes });
  if (armored) return new TextEncoder().encode(await encrypt({ message, encryptionKeys: keys, date: NOW }));
  return encrypt({ message, encryptionKeys: keys, format: 'binary', date: NOW });
}

function scan(bytes: Uint8Array, chunk = 997): ReturnType<EncryptedMessageScanner['end']> {
  const scanner = new EncryptedMessageScanner();
  for (let i = 0; i < bytes.length; i += chunk) scanner.push(bytes.subarray(i, i + chunk));
  return scanner.end();
}

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof MessageError) return error.code;
    throw error;
  }
  return 'accepted';
}

const CASE_NOTES =
  'Strategy meeting 3 March. Child A (NHS 943 476 5919) seen at home; mother reports concerns about ' +
  'contact with the father. Police to visit; school to monitor attendance and report on Friday.\n';

describe('EncryptedMessageScanner', () => {
  let v4: TestKey;
  let v4b: TestKey;
  let v6: TestKey;

  beforeAll(async () => {
    [v4, v4b, v6] = await Promise.all([
      makeTestKey({ date: new Date('2025-01-01') }),
      makeTestKey({ name: 'Other', date: new Date('2025-01-01') }),
      makeTestKey({ v6: true, type: 'curve25519', advertiseAead: true, date: new Date('2025-01-01') }),
    ]);
  });

  it.each([0, 1, 20, 511, 512, 4095, 4096, 70_000, 300_000])(
    'accepts genuine openpgp.js messages (SEIPD v1 and v2) of %i bytes, in any chunking',
    async (size) => {
      const plain = new Uint8Array(size).fill(0x41);
      const one = await encryptTo([v4.publicKey, v4b.publicKey], plain);
      expect(scan(one)).toMatchObject({ pkeskCount: 2, version: 1 });
      expect(scan(one, 1)).toMatchObject({ version: 1 });
      const two = await encryptTo([v6.publicKey], plain);
      expect(scan(two, 4096)).toMatchObject({ pkeskCount: 1, version: 2 });
    },
  );

  it('refuses real PKESKs followed by a tag-18 header whose body is cleartext (the attack of issue 12)', async () => {
    const genuine = await encryptTo([v4.publicKey], new TextEncoder().encode('x'));
    for (const body of [
      CASE_NOTES.repeat(40),
      'nhs_number,name,dob\n9434765919,Jane Doe,2015-01-01\n'.repeat(30),
      JSON.stringify({ subject: { nhs: '9434765919' }, notes: CASE_NOTES }),
      CASE_NOTES.slice(0, 40),
    ]) {
      const forged = disguise(genuine, new TextEncoder().encode(body));
      expect(codeOf(() => scan(forged))).toBe('message.not-ciphertext');
    }
    const gz = disguise(genuine, gzipSync(Buffer.from(CASE_NOTES.repeat(50))));
    expect(codeOf(() => scan(gz))).toBe('message.not-ciphertext');
  });

  it('refuses every structural deviation', async () => {
    const genuine = await encryptTo([v4.publicKey], new Uint8Array(2000).fill(7));
    expect(codeOf(() => scan(Buffer.concat([genuine, Buffer.from([0xc1, 0x01, 0x00])])))).toBe(
      'message.malformed',
    );
    expect(codeOf(() => scan(genuine.subarray(0, genuine.length - 1)))).toBe('message.malformed');
    // A literal data packet (tag 11) after the PKESK instead of encrypted data.
    const forged = disguise(genuine, new Uint8Array(100));
    const literal = Buffer.from(forged);
    literal[forged.length - 100 - 7] = 0xc0 | 11;
    expect(codeOf(() => scan(literal))).toBe('message.malformed');
    // SEIPD of an unknown version.
    const badVersion = Buffer.from(disguise(genuine, randomBytes(100)));
    expect(codeOf(() => scan(badVersion))).toBe('accepted');
    badVersion[badVersion.length - 101] = 3;
    expect(codeOf(() => scan(badVersion))).toBe('message.malformed');
    // Encrypted data with no PKESK before it.
    expect(codeOf(() => scan(Buffer.from([0xd2, 0x05, 0x01, 1, 2, 3, 4])))).toBe('message.malformed');
  });

  it('the verified stream releases nothing of a refused message past what was judged, and all of a good one', async () => {
    const big = await encryptTo([v4.publicKey], new Uint8Array(200_000).fill(1));
    const forged = disguise(big.subarray(0, 100), new TextEncoder().encode(CASE_NOTES.repeat(100)));
    // `disguise` takes the PKESKs of a genuine message: the first 100 bytes hold them.
    const released: Buffer[] = [];
    const stream = verifiedEncryptedStream(Readable.from([Buffer.from(forged)]), { armored: false });
    await expect(
      (async () => {
        for await (const c of stream) released.push(c as Buffer);
      })(),
    ).rejects.toMatchObject({ code: 'message.not-ciphertext' });
    expect(Buffer.concat(released).toString('latin1')).not.toContain('NHS');

    const armored = await encryptTo([v4.publicKey], new Uint8Array(100_000).fill(2), true);
    const out = await readAll(
      verifiedEncryptedStream(Readable.from(chunks(armored, 333)), { armored: true }),
    );
    expect(Buffer.compare(out, Buffer.from(armored))).toBe(0);
    const binary = await readAll(
      verifiedEncryptedStream(Readable.from(chunks(big, 65536)), { armored: false }),
    );
    expect(Buffer.compare(binary, Buffer.from(big))).toBe(0);
  });
});

function chunks(bytes: Uint8Array, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(Buffer.from(bytes.subarray(i, i + size)));
  return out;
}
