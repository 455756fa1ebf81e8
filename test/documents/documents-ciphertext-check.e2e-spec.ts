import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Readable } from 'node:stream';
import { encryptStream } from '@accord/crypto';
import { armor as armorBytes, enums } from 'openpgp';
import { disguise } from '../../libs/crypto/src/testing/disguised-plaintext';
import {
  buildDocumentsPartnership,
  codeOf,
  documentEvents,
  DocumentsPartnership,
  KEY_TIME,
  objectFileNames,
  POLICE,
  SENDER,
  share,
  shareMetadata,
} from './support/documents-partnership';

const CASE_NOTE =
  'Strategy meeting. Child A, NHS number 943 476 5919, disclosed at school on Monday. CONFIDENTIAL-MARKER-91c2\n';

/** The binary message as `gpg --armor` would write it, headers none. */
const armor = (binary: Buffer): string => armorBytes(enums.armor.message, new Uint8Array(binary));

async function toBuffer(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * No plaintext at rest (issue 12 §3): a pre-encrypted upload is parsed whole as it streams, and its encrypted
 * body must look like ciphertext. Real PKESKs copied from a genuine message followed by a tag-18 header over
 * cleartext used to be stored as `pre-encrypted` (201, the NHS number on disk).
 */
describe('documents: a pre-encrypted upload must be ciphertext', () => {
  let p: DocumentsPartnership;
  let genuine: Buffer;

  const encryptToPolice = async (text: string | Buffer) =>
    toBuffer(
      await encryptStream(Buffer.from(text), {
        encryptionKeys: [p.keys[POLICE]!.publicKey],
        now: new Date(KEY_TIME.getTime() + 86_400_000),
      }),
    );

  beforeAll(async () => {
    p = await buildDocumentsPartnership();
    genuine = await encryptToPolice('x');
  }, 60_000);
  afterAll(() => p?.close());

  /** The refusal is answered and recorded, and no byte of the upload is anywhere under DATA_DIR. */
  async function expectRefused(payload: Uint8Array, code: string): Promise<void> {
    const dataDir = p.world.api.config.dataDir;
    const objectsBefore = objectFileNames(dataDir);
    const reply = await share(p.practitioner, shareMetadata(p), payload);
    expect({ status: reply.status, code: codeOf(reply) }).toEqual({ status: 422, code });
    expect(reply.headers.get('content-type')).toMatch(/application\/problem\+json/);
    const documentId = reply.body.documentId as string;
    const events = await documentEvents(p, documentId);
    expect(events.map((e) => [e.type, e.data['reason']])).toEqual([['AccessDenied', code]]);
    expect(readdirSync(join(dataDir, 'objects', '.tmp'))).toEqual([]);
    expect(objectFileNames(dataDir)).toEqual(objectsBefore);
  }

  it('real PKESKs + a tag-18 header over case notes: 422 share.payload-not-ciphertext, AccessDenied, nothing on disk', async () => {
    await expectRefused(disguise(genuine, Buffer.from(CASE_NOTE.repeat(30))), 'share.payload-not-ciphertext');
    await expectRefused(disguise(genuine, Buffer.from(CASE_NOTE)), 'share.payload-not-ciphertext');
    const csv = 'nhs_number,name,concern\n9434765919,Jane Doe,neglect\n'.repeat(200);
    await expectRefused(disguise(genuine, Buffer.from(csv)), 'share.payload-not-ciphertext');
    await expectRefused(disguise(genuine, gzipSync(csv)), 'share.payload-not-ciphertext');
  });

  it('cleartext hidden after a megabyte of random bytes is still refused, and nothing is left on disk', async () => {
    const { randomBytes } = await import('node:crypto');
    const body = Buffer.concat([randomBytes(1024 * 1024), Buffer.from(CASE_NOTE.repeat(100))]);
    await expectRefused(disguise(genuine, body), 'share.payload-not-ciphertext');
  });

  it('a genuine message with a packet appended after its encrypted data: 422 share.payload-malformed', async () => {
    const extra = Buffer.concat([
      await encryptToPolice(CASE_NOTE),
      Buffer.from([0xcb, 0x05, 0x62, 0, 0, 0, 0]),
    ]);
    await expectRefused(extra, 'share.payload-malformed');
    const cut = await encryptToPolice(CASE_NOTE.repeat(100));
    await expectRefused(cut.subarray(0, cut.length - 10), 'share.payload-malformed');
  });

  it('case notes in the armor headers of a genuine armored message: 422 share.payload-malformed, nothing on disk', async () => {
    const armored = (headers: string[]) =>
      Buffer.from(
        armor(genuine).replace(
          '-----BEGIN PGP MESSAGE-----\n',
          `-----BEGIN PGP MESSAGE-----\n${headers.join('\n')}\n`,
        ),
      );
    // Armor headers are stored as sent and never decoded, so they are outside the ciphertext check.
    await expectRefused(
      armored(
        CASE_NOTE.trim()
          .split('. ')
          .map((s) => `Comment: ${s}`),
      ),
      'share.payload-malformed',
    );
    await expectRefused(armored([`Comment: ${'x'.repeat(200)}`]), 'share.payload-malformed');
    await expectRefused(armored([CASE_NOTE.trim()]), 'share.payload-malformed');
    // What GnuPG, GPG Suite and OpenPGP.js write is still accepted.
    for (const headers of [
      [],
      ['Version: GnuPG v2'],
      ['Comment: GPGTools - https://gpgtools.org'],
      ['Version: OpenPGP.js v4.10.10', 'Comment: https://openpgpjs.org'],
    ]) {
      const reply = await share(p.practitioner, shareMetadata(p), armored(headers));
      expect({ headers, status: reply.status }).toEqual({ headers, status: 201 });
    }
  });

  it('genuine messages of 1 byte to 1 MiB still share', async () => {
    for (const size of [1, 100, 5000, 1024 * 1024]) {
      const reply = await share(
        p.practitioner,
        shareMetadata(p),
        await encryptToPolice(Buffer.alloc(size, 0x20)),
      );
      expect({ status: reply.status, mode: reply.body.mode }).toEqual({ status: 201, mode: 'pre-encrypted' });
    }
    expect(SENDER).toBeDefined();
  });
});
