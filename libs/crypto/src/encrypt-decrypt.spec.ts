import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createMessage, encrypt, enums } from 'openpgp';
import { CryptoError } from './crypto.errors';
import { decryptStream, decryptToFile } from './decrypt.stream';
import { encryptStream } from './encrypt.stream';
import { generateOrganisationKey, unlockPrivateKey } from './key-generation';
import { listRecipientKeyIds } from './message-recipients';
import { inspectPublicKey } from './public-key.inspector';
import { makeTestKey, pseudoRandomStream, readAll, sha256, type TestKey } from './testing/test-keys';

const NOW = new Date('2026-01-15T12:00:00Z');
const EARLIER = new Date(NOW.getTime() - 3600_000);
const FIVE_MIB = 5 * 1024 * 1024;

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CryptoError);
  return (error as CryptoError).code;
}

describe('streaming encrypt and decrypt', () => {
  let sender: TestKey;
  let recipient: TestKey;
  let stranger: TestKey;
  let dir: string;
  let fiveMibMessage: Buffer;
  let fiveMibDigest: string;

  beforeAll(async () => {
    [sender, recipient, stranger] = await Promise.all(
      ['Sender', 'Recipient', 'Stranger'].map((name) => makeTestKey({ name, date: EARLIER })),
    );
    dir = await mkdtemp(join(tmpdir(), 'accord-crypto-spec-'));
    fiveMibDigest = sha256(await readAll(pseudoRandomStream(FIVE_MIB)));
    const encrypted = await encryptStream(pseudoRandomStream(FIVE_MIB), {
      encryptionKeys: [recipient.armoredPublic],
      signingKey: sender.privateKey,
      now: NOW,
    });
    fiveMibMessage = await readAll(encrypted);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const decryptOptions = () => ({
    privateKey: recipient.privateKey,
    senderKeys: [sender.armoredPublic],
    now: NOW,
  });

  it('round-trips a 5 MiB stream with a signature the recipient verifies', async () => {
    const result = await decryptStream(Readable.from(chunked(fiveMibMessage, 16 * 1024)), {
      ...decryptOptions(),
      tmpDir: dir,
    });
    expect(result).toMatchObject({
      signatureValid: true,
      signerKeyId: sender.publicKey.getKeyID().toHex(),
      signerFingerprint: sender.publicKey.getFingerprint(),
      size: FIVE_MIB,
      container: 'seipd-v1',
    });
    expect(sha256(await readAll(result.plaintext))).toBe(fiveMibDigest);
    expect(await readdir(dir)).toEqual([]);
  });

  it('writes SEIPDv1 with no compression by default, so GnuPG 2.2 reads it and size is not gambled on', async () => {
    const zeros = new Uint8Array(256 * 1024);
    const bytes = await readAll(
      await encryptStream(zeros, { encryptionKeys: [recipient.publicKey], now: NOW }),
    );
    expect((await listRecipientKeyIds(bytes)).container).toBe('seipd-v1');
    expect(bytes.length).toBeGreaterThan(zeros.length);
  });

  it('never lets OCB in: keys advertising SEIPDv2 still get SEIPDv1, and the AEAD opt-in is GCM', async () => {
    const modern = await makeTestKey({ name: 'Modern', advertiseAead: true, date: EARLIER });
    const byDefault = await readAll(
      await encryptStream(new Uint8Array([1]), { encryptionKeys: [modern.publicKey], now: NOW }),
    );
    expect(await listRecipientKeyIds(byDefault)).toMatchObject({
      container: 'seipd-v1',
      aeadAlgorithm: null,
    });
    const optedIn = await readAll(
      await encryptStream(pseudoRandomStream(300_000), {
        encryptionKeys: [modern.publicKey],
        signingKey: sender.privateKey,
        aead: 'gcm',
        now: NOW,
      }),
    );
    expect(await listRecipientKeyIds(optedIn)).toMatchObject({ container: 'seipd-v2', aeadAlgorithm: 'gcm' });
    const out = join(dir, 'aead.bin');
    const outcome = await decryptToFile(optedIn, out, {
      privateKey: modern.privateKey,
      senderKeys: [sender.publicKey],
      now: NOW,
    });
    expect(outcome).toMatchObject({ signatureValid: true, size: 300_000, container: 'seipd-v2' });
    await rm(out);
  });

  it('refuses a tampered ciphertext with message.integrity-check-failed and releases no plaintext', async () => {
    const tampered = Buffer.from(fiveMibMessage);
    tampered[Math.floor(tampered.length / 2)]! ^= 0x01;
    const out = join(dir, 'tampered.bin');
    expect(
      await codeOf(decryptToFile(Readable.from(chunked(tampered, 64 * 1024)), out, decryptOptions())),
    ).toBe('message.integrity-check-failed');
    expect(await codeOf(decryptStream(tampered, { ...decryptOptions(), tmpDir: dir }))).toBe(
      'message.integrity-check-failed',
    );
    expect(await readdir(dir)).toEqual([]);
  });

  it('refuses a truncated ciphertext the same way', async () => {
    const truncated = fiveMibMessage.subarray(0, fiveMibMessage.length - 100);
    expect(await codeOf(decryptToFile(truncated, join(dir, 'cut.bin'), decryptOptions()))).toBe(
      'message.integrity-check-failed',
    );
    expect(await readdir(dir)).toEqual([]);
  });

  it('refuses a message signed by someone other than the expected sender with message.bad-signature', async () => {
    const options = { ...decryptOptions(), senderKeys: [stranger.publicKey] };
    const error = await decryptToFile(fiveMibMessage, join(dir, 'wrong.bin'), options).catch(
      (e: CryptoError) => e,
    );
    expect(error).toMatchObject({
      code: 'message.bad-signature',
      extra: { signerKeyIds: [sender.publicKey.getKeyID().toHex()] },
    });
    expect(await readdir(dir)).toEqual([]);
  });

  it('refuses an unsigned message with message.unsigned unless the caller allows unsigned messages', async () => {
    const unsigned = await readAll(
      await encryptStream(Buffer.from('plain upload'), { encryptionKeys: [recipient.publicKey], now: NOW }),
    );
    expect(await codeOf(decryptStream(unsigned, { ...decryptOptions(), tmpDir: dir }))).toBe(
      'message.unsigned',
    );
    const allowed = await decryptStream(unsigned, { ...decryptOptions(), allowUnsigned: true, tmpDir: dir });
    expect(allowed).toMatchObject({ signatureValid: false, signerKeyId: null });
    expect((await readAll(allowed.plaintext)).toString()).toBe('plain upload');
  });

  it('refuses a message for another key with message.not-for-this-key before decrypting', async () => {
    const options = { ...decryptOptions(), privateKey: stranger.privateKey };
    expect(await codeOf(decryptToFile(fiveMibMessage, join(dir, 'x.bin'), options))).toBe(
      'message.not-for-this-key',
    );
  });

  it('refuses a plaintext input with message.not-openpgp', async () => {
    expect(await codeOf(decryptToFile(Buffer.from('hello'), join(dir, 'x.bin'), decryptOptions()))).toBe(
      'message.not-openpgp',
    );
  });

  it('stops at the plaintext cap with message.too-large', async () => {
    const options = { ...decryptOptions(), maxDecompressedBytes: 1024 * 1024 };
    expect(await codeOf(decryptToFile(fiveMibMessage, join(dir, 'big.bin'), options))).toBe(
      'message.too-large',
    );
    expect(await readdir(dir)).toEqual([]);
  });

  it('stops a compressed decompression bomb at the cap with message.too-large', async () => {
    const message = await createMessage({ binary: new Uint8Array(8 * 1024 * 1024) });
    const bomb = await encrypt({
      message,
      encryptionKeys: recipient.publicKey,
      signingKeys: sender.privateKey,
      format: 'binary',
      config: { preferredCompressionAlgorithm: enums.compression.zlib },
    });
    expect(bomb.length).toBeLessThan(100_000);
    const options = { ...decryptOptions(), maxDecompressedBytes: 1024 * 1024 };
    expect(await codeOf(decryptToFile(bomb, join(dir, 'bomb.bin'), options))).toBe('message.too-large');
  });

  it('decrypts an ASCII-armored message', async () => {
    const message = await createMessage({ binary: Buffer.from('armored body') });
    const armored = await encrypt({
      message,
      encryptionKeys: recipient.publicKey,
      signingKeys: sender.privateKey,
      date: NOW,
    });
    const result = await decryptStream(Buffer.from(armored), { ...decryptOptions(), tmpDir: dir });
    expect((await readAll(result.plaintext)).toString()).toBe('armored body');
    expect(result.signatureValid).toBe(true);
  });

  it('fails the encrypted stream when its input fails (an aborted upload is not a short document)', async () => {
    const input = new Readable({ read() {} });
    input.push(Buffer.alloc(100_000, 1));
    const encrypted = await encryptStream(input, { encryptionKeys: [recipient.publicKey], now: NOW });
    const failed = new Promise((resolve) => encrypted.on('error', resolve));
    encrypted.once('data', () => input.destroy(new Error('client aborted')));
    encrypted.resume();
    expect(await failed).toBeInstanceOf(Error);
    expect(encrypted.readableEnded).toBe(false);
  });

  it('refuses a recipient key that breaks a rule before reading any input', async () => {
    const signOnly = await makeTestKey({ subkeys: [], date: EARLIER });
    const input = pseudoRandomStream(1024);
    expect(await codeOf(encryptStream(input, { encryptionKeys: [signOnly.publicKey], now: NOW }))).toBe(
      'key.no-encryption-subkey',
    );
    expect(input.readableDidRead).toBe(false);
  });
});

describe('organisation key generation and unlocking', () => {
  it('makes a v4 Ed25519 + Cv25519 key that passes the rules and advertises no AEAD', async () => {
    const generated = await generateOrganisationKey({
      name: 'Stoke Council',
      email: 'ig@stoke.example',
      passphrase: 'pw',
      now: EARLIER,
    });
    const inspected = await inspectPublicKey(generated.publicKey, { now: NOW });
    expect(inspected).toMatchObject({
      fingerprint: generated.fingerprint,
      algorithm: 'curve25519',
      version: 4,
      openpgpAlgorithm: 'eddsaLegacy',
    });
    expect(inspected.encryptionKeyIds).toHaveLength(1);
    expect(await codeOf(unlockPrivateKey(generated.privateKey))).toBe('key.locked');
    expect(await codeOf(unlockPrivateKey(generated.privateKey, 'wrong'))).toBe('key.bad-passphrase');
    expect(await codeOf(unlockPrivateKey(generated.publicKey, 'pw'))).toBe('key.not-private');
    const unlocked = await unlockPrivateKey(generated.privateKey, 'pw');
    expect(unlocked.isDecrypted()).toBe(true);
    const { selfCertification } = await unlocked.getPrimaryUser();
    // RFC 9580 §5.2.3.32 feature 0x01 (SEIPDv1) alone: 0x08 (SEIPDv2) would invite AEAD senders.
    expect(selfCertification.features).toEqual([0x01]);
  });

  it('refuses to sign or decrypt with a key that is still locked', async () => {
    const generated = await generateOrganisationKey({
      name: 'Locked',
      email: 'l@x.example',
      passphrase: 'pw',
      now: EARLIER,
    });
    const locked = (await import('openpgp')).readPrivateKey({ armoredKey: generated.privateKey });
    const options = { encryptionKeys: [generated.publicKey], signingKey: await locked, now: NOW };
    expect(await codeOf(encryptStream(Buffer.from('x'), options))).toBe('key.locked');
  });
});

function chunked(bytes: Uint8Array, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(Buffer.from(bytes.subarray(i, i + size)));
  return out;
}
