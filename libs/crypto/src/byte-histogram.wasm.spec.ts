import { randomBytes } from 'node:crypto';
import { WasmByteHistogram } from './byte-histogram.wasm';
import { histogram } from './ciphertext.statistics';
import { MessageError } from './crypto.errors';
import { EncryptedMessageScanner } from './encrypted-message.scanner';
import { disguise } from './testing/disguised-plaintext';
import { encryptStream } from './encrypt.stream';
import { makeTestKey, pseudoRandomStream, readAll } from './testing/test-keys';

const MIB = 1024 * 1024;
const CASE_NOTES =
  'Strategy meeting 3 March. Child A (NHS 943 476 5919) seen at home; mother reports concerns about ' +
  'contact with the father. Police to visit; school to monitor attendance and report on Friday.\n';

describe('the byte histogram in WebAssembly', () => {
  it('counts exactly what the JavaScript loop counts, at any offset and length, across calls', () => {
    const bytes = randomBytes(300_000);
    // Skewed too, so a miscounted value would show: every value, runs of one value, and text.
    const skewed = Buffer.concat([Buffer.from(CASE_NOTES.repeat(50)), Buffer.alloc(5000, 7), bytes]);
    const wasm = new WasmByteHistogram();
    let at = 0;
    for (const length of [0, 1, 3, 4, 5, 4095, 4096, 4097, 70_000, 100_003]) {
      wasm.count(skewed, at, length);
      at += length;
    }
    wasm.count(skewed, at, skewed.length - at);
    expect([...wasm.counts]).toEqual([...histogram(skewed)]);
    wasm.counts.fill(0);
    wasm.count(bytes, 1, 4093);
    expect([...wasm.counts]).toEqual([...histogram(bytes.subarray(1, 4094))]);
  });

  it('the scanner judges every window of a large message: cleartext deep inside is refused at its window', async () => {
    const key = await makeTestKey({ date: new Date('2025-01-01') });
    const genuine = await readAll(
      await encryptStream(pseudoRandomStream(3 * MIB), { encryptionKeys: [key.publicKey], now: new Date() }),
    );
    const scan = (message: Uint8Array): string => {
      const scanner = new EncryptedMessageScanner();
      try {
        for (let i = 0; i < message.length; i += 65536) scanner.push(message.subarray(i, i + 65536));
        scanner.end();
        return 'accepted';
      } catch (error) {
        return (error as MessageError).message;
      }
    };
    expect(scan(genuine)).toBe('accepted');
    // Windows start at the body (after the PKESKs, the 6-octet header and the version octet): the notes,
    // 2 MiB + 100 bytes in, fall in window 512 and fill the next two.
    const body = Buffer.concat([
      randomBytes(2 * MIB + 100),
      Buffer.from(CASE_NOTES.repeat(60)),
      randomBytes(MIB),
    ]);
    const forged = disguise(genuine, body);
    const start = forged.length - body.length;
    expect(scan(forged)).toContain(`bytes ${start + 512 * 4096}-${start + 513 * 4096})`);
    // A cleartext last window, shorter than the others.
    const tailBody = Buffer.concat([randomBytes(MIB), Buffer.from(CASE_NOTES)]);
    const tail = disguise(genuine, tailBody);
    const tailStart = tail.length - tailBody.length + MIB;
    expect(scan(tail)).toMatch(
      new RegExp(`^message\\.not-ciphertext: .*bytes ${tailStart}-${tailStart + CASE_NOTES.length}\\)$`),
    );
  });
});
