import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { createMessage, encrypt, readMessage, sign, type PublicKey } from 'openpgp';
import { MessageError } from './crypto.errors';
import { checkRecipients, listRecipientKeyIds, peekMessage, type RecipientKey } from './message-recipients';
import { makeTestKey, readAll, type TestKey } from './testing/test-keys';

const NOW = new Date('2026-01-15T12:00:00Z');
const EARLIER = new Date(NOW.getTime() - 3600_000);

async function encryptTo(
  keys: PublicKey[],
  text = 'case notes',
  options: { wildcard?: boolean; armored?: boolean } = {},
) {
  const message = await createMessage({ binary: new TextEncoder().encode(text) });
  if (options.armored)
    return encrypt({ message, encryptionKeys: keys, wildcard: options.wildcard ?? false, date: NOW });
  return encrypt({
    message,
    encryptionKeys: keys,
    wildcard: options.wildcard ?? false,
    format: 'binary',
    date: NOW,
  });
}

function recipientKey(key: TestKey): RecipientKey {
  return {
    fingerprint: key.publicKey.getFingerprint(),
    encryptionKeyIds: key.publicKey.subkeys.map((s) => s.getKeyID().toHex()),
  };
}

async function messageErrorOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MessageError);
  return (error as MessageError).code;
}

/** A source that records how many bytes were pulled from it. */
function countingSource(bytes: Uint8Array, chunkSize: number): { stream: Readable; pulled: () => number } {
  let offset = 0;
  const stream = new Readable({
    read() {
      if (offset >= bytes.length) return void this.push(null);
      this.push(Buffer.from(bytes.subarray(offset, offset + chunkSize)));
      offset += chunkSize;
    },
  });
  return { stream, pulled: () => Math.min(offset, bytes.length) };
}

describe('recipients of a message, read without decrypting', () => {
  let alice: TestKey;
  let bob: TestKey;
  let carol: TestKey;
  beforeAll(async () => {
    [alice, bob, carol] = await Promise.all(
      ['Alice', 'Bob', 'Carol'].map((name) => makeTestKey({ name, date: EARLIER })),
    );
  });

  it('lists the encryption subkey ids of a binary message, as openpgp itself reads them', async () => {
    const bytes = await encryptTo([alice.publicKey, bob.publicKey]);
    const recipients = await listRecipientKeyIds(bytes);
    const openpgpIds = (await readMessage({ binaryMessage: bytes }))
      .getEncryptionKeyIDs()
      .map((id) => id.toHex());
    expect(recipients).toEqual({
      keyIds: openpgpIds,
      passwordCount: 0,
      container: 'seipd-v1',
      aeadAlgorithm: null,
      armored: false,
    });
    expect(recipients.keyIds).toEqual([
      recipientKey(alice).encryptionKeyIds[0],
      recipientKey(bob).encryptionKeyIds[0],
    ]);
  });

  it('reads an ASCII-armored message too', async () => {
    const armored = await encryptTo([alice.publicKey], 'x', { armored: true });
    const recipients = await listRecipientKeyIds(new TextEncoder().encode(armored));
    expect(recipients).toMatchObject({ keyIds: recipientKey(alice).encryptionKeyIds, armored: true });
  });

  it('reads the v6 PKESK of an AEAD (SEIPDv2) message and names its mode', async () => {
    const message = await createMessage({ binary: new Uint8Array([1, 2, 3]) });
    const sessionKey = {
      data: new Uint8Array(32).fill(9),
      algorithm: 'aes256' as const,
      aeadAlgorithm: 'gcm' as const,
    };
    const bytes = await encrypt({
      message,
      encryptionKeys: [alice.publicKey, bob.publicKey],
      sessionKey,
      format: 'binary',
    });
    expect(await listRecipientKeyIds(bytes)).toMatchObject({
      keyIds: [recipientKey(alice).encryptionKeyIds[0], recipientKey(bob).encryptionKeyIds[0]],
      container: 'seipd-v2',
      aeadAlgorithm: 'gcm',
    });
  });

  it('reports an anonymous recipient as the wildcard key id', async () => {
    const recipients = await listRecipientKeyIds(await encryptTo([alice.publicKey], 'x', { wildcard: true }));
    expect(recipients.keyIds).toEqual(['0000000000000000']);
  });

  it('counts password recipients', async () => {
    const message = await createMessage({ binary: new Uint8Array([1]) });
    const bytes = await encrypt({
      message,
      passwords: 'pw',
      encryptionKeys: alice.publicKey,
      format: 'binary',
    });
    expect(await listRecipientKeyIds(bytes)).toMatchObject({
      keyIds: recipientKey(alice).encryptionKeyIds,
      passwordCount: 1,
    });
  });

  it('refuses a plaintext upload with message.not-openpgp', async () => {
    expect(await messageErrorOf(listRecipientKeyIds(new TextEncoder().encode('%PDF-1.7\n...')))).toBe(
      'message.not-openpgp',
    );
    expect(await messageErrorOf(listRecipientKeyIds(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16])))).toBe(
      'message.not-openpgp',
    );
    expect(await messageErrorOf(listRecipientKeyIds(new Uint8Array(0)))).toBe('message.not-openpgp');
    const text = new TextEncoder().encode('-----BEGIN NOT PGP-----\n\nabc\n');
    expect(await messageErrorOf(listRecipientKeyIds(text))).toBe('message.not-openpgp');
  });

  it('refuses a signed but unencrypted message, and a public key, with message.not-encrypted', async () => {
    const message = await createMessage({ binary: new Uint8Array([1, 2]) });
    const signed = await sign({ message, signingKeys: alice.privateKey, format: 'binary' });
    expect(await messageErrorOf(listRecipientKeyIds(signed))).toBe('message.not-encrypted');
    expect(await messageErrorOf(listRecipientKeyIds(new TextEncoder().encode(alice.armoredPublic)))).toBe(
      'message.not-encrypted',
    );
  });

  it('refuses a message truncated inside its session-key packets', async () => {
    const bytes = await encryptTo([alice.publicKey]);
    expect(await messageErrorOf(listRecipientKeyIds(bytes.subarray(0, 20)))).toBe('message.not-openpgp');
  });

  describe('from a stream', () => {
    it('reads only the start and replays every byte afterwards', async () => {
      const big = new Uint8Array(2 * 1024 * 1024).fill(42);
      const message = await createMessage({ binary: big });
      const bytes = await encrypt({
        message,
        encryptionKeys: [alice.publicKey, bob.publicKey],
        format: 'binary',
      });
      const source = countingSource(bytes, 100);
      const { recipients, stream } = await listRecipientKeyIds(source.stream);
      expect(recipients.keyIds).toHaveLength(2);
      // The header is under 2 KiB; the stream reads ahead (its highWaterMark) but not past the header budget.
      expect(source.pulled()).toBeLessThan(64 * 1024);
      expect(Buffer.compare(await readAll(stream), Buffer.from(bytes))).toBe(0);
    });

    it('accepts a web ReadableStream', async () => {
      const bytes = await encryptTo([carol.publicKey]);
      const web = Readable.toWeb(Readable.from([Buffer.from(bytes)])) as WebReadableStream<Uint8Array>;
      const { recipients } = await listRecipientKeyIds(web);
      expect(recipients.keyIds).toEqual(recipientKey(carol).encryptionKeyIds);
    });

    it('hands a plaintext upload back intact, so the server can encrypt it instead', async () => {
      const text = Buffer.from('Referral for child: plain text, not OpenPGP\n'.repeat(1000));
      const peeked = await peekMessage(Readable.from([text.subarray(0, 10), text.subarray(10)]));
      expect(peeked.encrypted).toBe(false);
      if (!peeked.encrypted) expect(peeked.error.code).toBe('message.not-openpgp');
      expect(Buffer.compare(await readAll(peeked.stream), text)).toBe(0);
    });

    it('gives up with message.not-openpgp when no encrypted data starts within the header budget', async () => {
      const bytes = await encryptTo([alice.publicKey, bob.publicKey, carol.publicKey]);
      const source = countingSource(bytes, 50);
      expect(await messageErrorOf(listRecipientKeyIds(source.stream, { maxHeaderBytes: 100 }))).toBe(
        'message.not-openpgp',
      );
      expect(source.stream.destroyed).toBe(true);
    });
  });
});

describe('checkRecipients', () => {
  const a: RecipientKey = { fingerprint: 'fa', encryptionKeyIds: ['aaaaaaaaaaaaaaa1', 'aaaaaaaaaaaaaaa2'] };
  const b: RecipientKey = { fingerprint: 'fb', encryptionKeyIds: ['BBBBBBBBBBBBBBB1'] };
  const sender: RecipientKey = { fingerprint: 'fs', encryptionKeyIds: ['5555555555555551'] };

  it('passes when every expected key is named by any one of its encryption subkeys', () => {
    expect(checkRecipients(['aaaaaaaaaaaaaaa2', 'bbbbbbbbbbbbbbb1'], [a, b])).toEqual({
      ok: true,
      missing: [],
      unexpected: [],
      passwordCount: 0,
    });
  });

  it('reports an expected key the message is not encrypted to as missing', () => {
    expect(checkRecipients(['aaaaaaaaaaaaaaa1'], [a, b])).toMatchObject({
      ok: false,
      missing: ['fb'],
      unexpected: [],
    });
  });

  it('reports a key id belonging to no expected key as unexpected, unless allowed as the sender', () => {
    expect(
      checkRecipients(['aaaaaaaaaaaaaaa1', 'bbbbbbbbbbbbbbb1', '5555555555555551'], [a, b]),
    ).toMatchObject({
      ok: false,
      unexpected: ['5555555555555551'],
    });
    const allowed = checkRecipients(['aaaaaaaaaaaaaaa1', 'bbbbbbbbbbbbbbb1', '5555555555555551'], [a, b], {
      allowExtra: [sender],
    });
    expect(allowed.ok).toBe(true);
  });

  it('refuses the anonymous (wildcard) recipient and password recipients', () => {
    expect(checkRecipients(['aaaaaaaaaaaaaaa1', '0000000000000000'], [a])).toMatchObject({
      ok: false,
      unexpected: ['0000000000000000'],
    });
    const withPassword = checkRecipients({ keyIds: ['aaaaaaaaaaaaaaa1'], passwordCount: 1 }, [a]);
    expect(withPassword).toMatchObject({ ok: false, missing: [], unexpected: [], passwordCount: 1 });
  });
});
