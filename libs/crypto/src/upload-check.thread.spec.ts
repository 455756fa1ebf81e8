import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type { PublicKey } from 'openpgp';
import { MessageError } from './crypto.errors';
import { EncryptedMessageScanner } from './encrypted-message.scanner';
import { encryptStream } from './encrypt.stream';
import { disguise } from './testing/disguised-plaintext';
import { makeTestKey, pseudoRandomStream, readAll, type TestKey } from './testing/test-keys';
import { uploadCheckThread, UploadCheckUnavailableError } from './upload-check.thread';
import { CHECK_THREAD_BYTES, verifiedEncryptedStream } from './verified-message.stream';

// docs/architecture.md §37.5.1: past CHECK_THREAD_BYTES the check runs on its thread. Every message here is
// larger than that, so each verdict below is the thread's, and is compared with the scanner's own inline.

const NOW = new Date('2026-01-15T12:00:00Z');
const MIB = 1024 * 1024;
const CASE_NOTES =
  'Strategy meeting 3 March. Child A (NHS 943 476 5919) seen at home; mother reports concerns about ' +
  'contact with the father. Police to visit; school to monitor attendance and report on Friday.\n';

/** A streamed plaintext, so openpgp.js frames the encrypted data in partial lengths as a real client does. */
async function encryptLarge(key: PublicKey, size: number): Promise<Buffer> {
  return readAll(await encryptStream(pseudoRandomStream(size), { encryptionKeys: [key], now: NOW }));
}

function chunked(bytes: Uint8Array, size: number): Readable {
  return Readable.from(
    (function* () {
      for (let i = 0; i < bytes.length; i += size) yield Buffer.from(bytes.subarray(i, i + size));
    })(),
  );
}

/** Runs the verified stream to its end: what it released, and the error it ended with. */
async function run(bytes: Uint8Array, chunk = 65536): Promise<{ released: Buffer; error?: unknown }> {
  const released: Buffer[] = [];
  try {
    for await (const c of verifiedEncryptedStream(chunked(bytes, chunk), { armored: false }))
      released.push(c as Buffer);
    return { released: Buffer.concat(released) };
  } catch (error) {
    return { released: Buffer.concat(released), error };
  }
}

/** The inline scanner's verdict on the same bytes: the thread's must be this one, word for word. */
function inlineVerdict(bytes: Uint8Array): string {
  const scanner = new EncryptedMessageScanner();
  try {
    for (let i = 0; i < bytes.length; i += 65536) scanner.push(bytes.subarray(i, i + 65536));
    scanner.end();
    return 'accepted';
  } catch (error) {
    return (error as MessageError).message;
  }
}

describe('the upload check on its thread (large uploads)', () => {
  let v4: TestKey;
  let v6: TestKey;
  let genuine: Buffer;

  beforeAll(async () => {
    [v4, v6] = await Promise.all([
      makeTestKey({ date: new Date('2025-01-01') }),
      makeTestKey({ v6: true, type: 'curve25519', advertiseAead: true, date: new Date('2025-01-01') }),
    ]);
    genuine = await encryptLarge(v4.publicKey, 9 * MIB);
  });

  afterAll(() => uploadCheckThread.close());

  it('passes genuine large messages (SEIPD v1 and v2, partial lengths) whole and unchanged, in any chunking', async () => {
    expect(genuine.length).toBeGreaterThan(2 * CHECK_THREAD_BYTES);
    for (const chunk of [65536, 1_000_003, 4093]) {
      const { released, error } = await run(genuine, chunk);
      expect(error).toBeUndefined();
      expect(Buffer.compare(released, genuine)).toBe(0);
    }
    expect(uploadCheckThread.running).toBe(true);
    const v2 = await encryptLarge(v6.publicKey, 6 * MIB);
    const { released, error } = await run(v2, 77_777);
    expect(error).toBeUndefined();
    expect(Buffer.compare(released, v2)).toBe(0);
  });

  it('refuses cleartext hidden deep past the hand-over with the same verdict as inline, releasing nothing of it', async () => {
    const before = randomBytes(7 * MIB + 12_345);
    const forged = disguise(genuine, Buffer.concat([before, Buffer.from(CASE_NOTES.repeat(60)), randomBytes(MIB)]));
    const { released, error } = await run(forged, 65536);
    expect(error).toBeInstanceOf(MessageError);
    expect((error as MessageError).code).toBe('message.not-ciphertext');
    expect((error as MessageError).message).toBe(inlineVerdict(forged));
    expect((error as MessageError).message).toContain('collisions');
    expect(released.includes('NHS 943')).toBe(false);
    // Nothing past the window that was refused: its start is the first byte of the cleartext's window.
    expect(released.length).toBeLessThanOrEqual(forged.length - MIB - CASE_NOTES.length * 60);
  });

  it('judges the last, short window on the thread too: a cleartext tail is refused', async () => {
    const forged = disguise(genuine, Buffer.concat([randomBytes(6 * MIB), Buffer.from(CASE_NOTES)]));
    const { released, error } = await run(forged, 65536);
    expect((error as MessageError).code).toBe('message.not-ciphertext');
    expect((error as MessageError).message).toBe(inlineVerdict(forged));
    expect(released.includes('NHS 943')).toBe(false);
  });

  it('refuses a packet after the encrypted data, or a message cut short, deep past the hand-over', async () => {
    const appended = Buffer.concat([genuine, Buffer.from([0xcb, 0x05, 0x62, 0, 0, 0, 0])]);
    const cut = genuine.subarray(0, genuine.length - 10);
    for (const bytes of [appended, cut]) {
      const { released, error } = await run(bytes);
      expect((error as MessageError).code).toBe('message.malformed');
      expect((error as MessageError).message).toBe(inlineVerdict(bytes));
      expect(released.length).toBeLessThan(bytes.length);
    }
  });

  it('fails an upload as unavailable when the thread stops under it, and starts a new thread for the next', async () => {
    const stream = verifiedEncryptedStream(chunked(genuine, 65536), { armored: false });
    let seen = 0;
    const reading = (async () => {
      for await (const c of stream) {
        seen += (c as Buffer).length;
        if (seen > CHECK_THREAD_BYTES + 4 * 65536 && uploadCheckThread.running) await uploadCheckThread.close();
      }
    })();
    await expect(reading).rejects.toBeInstanceOf(UploadCheckUnavailableError);
    expect(seen).toBeLessThan(genuine.length);
    const { released, error } = await run(genuine);
    expect(error).toBeUndefined();
    expect(released.length).toBe(genuine.length);
  });

  it('never starts the thread for a message under the hand-over size', async () => {
    await uploadCheckThread.close();
    const small = await encryptLarge(v4.publicKey, CHECK_THREAD_BYTES / 2);
    const { released, error } = await run(small);
    expect(error).toBeUndefined();
    expect(released.length).toBe(small.length);
    expect(uploadCheckThread.running).toBe(false);
  });
});
