import { readdirSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { eventually } from '../../libs/projections/src/testing/projection-test-kit';
import { decryptStream, encryptStream, listRecipientKeyIds, unlockPrivateKey } from '@accord/crypto';
import {
  buildDocumentsPartnership,
  codeOf,
  documentEvents,
  DocumentsPartnership,
  HOSPITAL,
  KEY_TIME,
  objectFileBytes,
  objectFileNames,
  openContent,
  POLICE,
  SENDER,
  share,
  shareMetadata,
} from './support/documents-partnership';

const HEADER_BYTES = 512;
const SECRET_LINE = 'Child J disclosed at school on Monday: CONFIDENTIAL-MARKER-7f3a';

async function toBuffer(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Sharing and opening over HTTP with the real app, SQLite and the filesystem object store. */
describe('documents: share and open round trips', () => {
  let p: DocumentsPartnership;
  const sender = () => p.practitioner;

  async function decryptAs(org: string, bytes: Buffer, senderKeys: string[] = []): Promise<string> {
    const privateKey = await unlockPrivateKey(p.keys[org]!.privateKey);
    const out = await decryptStream(bytes, {
      privateKey,
      senderKeys,
      allowUnsigned: senderKeys.length === 0,
    });
    return (await toBuffer(out.plaintext)).toString('utf8');
  }

  async function sharedEvent(documentId: string) {
    const events = await documentEvents(p, documentId);
    const shared = events.find((e) => e.type === 'DocumentShared');
    if (!shared) throw new Error('no DocumentShared');
    return shared;
  }

  beforeAll(async () => {
    p = await buildDocumentsPartnership();
  });
  afterAll(() => p?.close());

  it('a plaintext upload is encrypted by the server; the stored object is an OpenPGP message with no plaintext in it', async () => {
    const reply = await share(sender(), shareMetadata(p, { recipients: [POLICE, HOSPITAL] }), SECRET_LINE);
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({
      documentId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      retainUntil: '2026-03-03T09:00:00.000Z',
      agreementVersion: 1,
      mode: 'server-encrypted',
      reviewOverdue: false,
    });
    expect(reply.body.recipientFingerprints.sort()).toEqual(
      [POLICE, HOSPITAL, SENDER].map((o) => p.keys[o]!.fingerprint).sort(),
    );
    const shared = await sharedEvent(reply.body.documentId);
    expect(shared.data).toMatchObject({
      senderOrg: SENDER,
      recipients: [POLICE, HOSPITAL],
      mode: 'server-encrypted',
    });
    expect(JSON.stringify(shared.data)).not.toContain('9434765919');

    const file = objectFileBytes(p.world.api.config.dataDir, String(shared.data['objectKey']));
    expect(file.includes(Buffer.from('CONFIDENTIAL-MARKER'))).toBe(false);
    const body = file.subarray(HEADER_BYTES);
    expect(body.length).toBe(reply.body.size);
    const recipients = await listRecipientKeyIds(new Uint8Array(body));
    expect(recipients.keyIds).toHaveLength(3);

    for (const org of [POLICE, HOSPITAL, SENDER]) {
      const opened = await openContent(await p.practitionerOf(org), reply.body.documentId);
      expect(opened.status).toBe(200);
      expect(opened.headers.get('content-type')).toBe('application/pgp-encrypted');
      expect(opened.bytes.equals(body)).toBe(true);
      expect(await decryptAs(org, opened.bytes)).toBe(SECRET_LINE);
    }
    const accessed = (await documentEvents(p, reply.body.documentId)).filter(
      (e) => e.type === 'DocumentAccessed',
    );
    expect(accessed.map((e) => e.data['orgId'])).toEqual([POLICE, HOSPITAL, SENDER]);
    expect(accessed[0]!.data['client']).toEqual({ ip: expect.any(String), country: 'GB' });
  });

  it('a message the client encrypted (and signed) to exactly the recipients is stored byte for byte', async () => {
    const signingKey = await unlockPrivateKey(p.keys[SENDER]!.privateKey);
    const ciphertext = await toBuffer(
      await encryptStream(Buffer.from(SECRET_LINE), {
        encryptionKeys: [p.keys[POLICE]!.publicKey],
        signingKey,
        now: new Date(KEY_TIME.getTime() + 86_400_000),
      }),
    );
    const reply = await share(sender(), shareMetadata(p), ciphertext);
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({
      mode: 'pre-encrypted',
      recipientFingerprints: [p.keys[POLICE]!.fingerprint],
    });
    const opened = await openContent(await p.practitionerOf(POLICE), reply.body.documentId);
    expect(opened.bytes.equals(ciphertext)).toBe(true);
    expect(await decryptAs(POLICE, opened.bytes, [p.keys[SENDER]!.publicKey])).toBe(SECRET_LINE);
  });

  it('the sender may also encrypt to its own key; the message then names it too', async () => {
    const ciphertext = await toBuffer(
      await encryptStream(Buffer.from(SECRET_LINE), {
        encryptionKeys: [p.keys[POLICE]!.publicKey, p.keys[SENDER]!.publicKey],
        now: new Date(KEY_TIME.getTime() + 86_400_000),
      }),
    );
    const reply = await share(sender(), shareMetadata(p), ciphertext);
    expect(reply.status).toBe(201);
    expect(reply.body.recipientFingerprints).toEqual([
      p.keys[POLICE]!.fingerprint,
      p.keys[SENDER]!.fingerprint,
    ]);
  });

  it('metadata sent as a file part (curl -F metadata=@share.json) is read the same way', async () => {
    const reply = await share(sender(), shareMetadata(p), SECRET_LINE, { metadataAsFile: true });
    expect(reply.status).toBe(201);
  });

  it('a retry with the same Idempotency-Key shares once and answers as the first', async () => {
    const headers = { 'idempotency-key': `share-${Date.now()}` };
    const first = await share(sender(), shareMetadata(p), SECRET_LINE, { headers });
    const second = await share(sender(), shareMetadata(p), SECRET_LINE, { headers });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    const events = await documentEvents(p, first.body.documentId);
    expect(events.filter((e) => e.type === 'DocumentShared')).toHaveLength(1);
  });

  it('the same Idempotency-Key with other metadata is refused (422 idempotency.key-reused), not answered with the first document', async () => {
    const headers = { 'idempotency-key': `share-other-${Date.now()}` };
    const metadata = shareMetadata(p, { recipients: [POLICE, HOSPITAL] });
    const first = await share(sender(), metadata, SECRET_LINE, { headers });
    expect(first.status).toBe(201);
    for (const overrides of [{ recipients: [POLICE] }, { title: 'Another note' }, { purpose: 'another' }]) {
      const other = await share(sender(), { ...metadata, ...overrides }, SECRET_LINE, { headers });
      expect({ overrides, status: other.status, type: codeOf(other) }).toEqual({
        overrides,
        status: 422,
        type: 'idempotency.key-reused',
      });
    }
    // Lists are sets, as the policy reads them: the same recipients in another order is the same share.
    const reordered = { ...metadata, recipients: [HOSPITAL, POLICE] };
    const retry = await share(sender(), reordered, SECRET_LINE, { headers });
    expect([retry.status, retry.body]).toEqual([201, first.body]);
    const events = await documentEvents(p, first.body.documentId);
    expect(events.map((e) => e.type)).toEqual(['DocumentShared']);
  });

  it('an upload cut off mid-payload stores nothing: no object, no temp file, no event', async () => {
    const dataDir = p.world.api.config.dataDir;
    const objectsBefore = objectFileNames(dataDir);
    const before = await p.store.headPosition();
    const boundary = 'accord-test-boundary';
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="metadata"\r\n\r\n${JSON.stringify(shareMetadata(p))}\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="payload"; filename="d.bin"\r\n\r\n`,
    );
    const { hostname, port } = new URL(p.world.url);
    const req = request({
      hostname,
      port,
      method: 'POST',
      path: '/documents',
      headers: {
        authorization: `Bearer ${sender().token}`,
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': String(head.length + 1_000_000),
      },
    });
    req.on('error', () => undefined);
    req.write(head);
    req.write(Buffer.alloc(64 * 1024, 1));
    await new Promise((r) => setTimeout(r, 100));
    req.destroy();
    await eventually(() => readdirSync(join(dataDir, 'objects', '.tmp')).length === 0);
    expect(objectFileNames(dataDir)).toEqual(objectsBefore);
    expect(await p.store.headPosition()).toBe(before);
  });

  describe('malformed uploads answer 4xx problems and record nothing', () => {
    const cases: [string, () => Promise<{ status: number; body: unknown }>, number, string][] = [
      [
        'metadata after the payload',
        () => share(sender(), shareMetadata(p), 'x', { order: 'payload-first' }),
        400,
        'documents.metadata-after-payload',
      ],
      [
        'no metadata',
        () => share(sender(), shareMetadata(p), 'x', { omit: 'metadata' }),
        400,
        'documents.metadata-after-payload',
      ],
      [
        'no payload',
        () => share(sender(), shareMetadata(p), 'x', { omit: 'payload' }),
        400,
        'documents.payload-missing',
      ],
      ['metadata not JSON', () => share(sender(), '{not json', 'x'), 400, 'documents.metadata-invalid'],
      [
        'metadata missing a title',
        () => share(sender(), shareMetadata(p, { title: undefined }), 'x'),
        400,
        'validation-failed',
      ],
      [
        'an unknown metadata field',
        () => share(sender(), shareMetadata(p, { colour: 'red' }), 'x'),
        400,
        'validation-failed',
      ],
      [
        'a JSON body instead of multipart',
        () => sender().post('/documents', shareMetadata(p)),
        415,
        'documents.multipart-required',
      ],
      [
        'an invalid NHS number',
        () =>
          share(
            sender(),
            shareMetadata(p, { subjects: [{ scheme: 'nhs-number', value: '9434765918' }] }),
            'x',
          ),
        422,
        'subject.nhs-number-invalid',
      ],
    ];
    it.each(cases)('%s', async (_what, send, status, code) => {
      const before = await p.store.headPosition();
      const reply = await send();
      expect({ status: reply.status, code: codeOf(reply as { body: { type?: string } }) }).toEqual({
        status,
        code,
      });
      expect(JSON.stringify(reply.body)).not.toContain('9434765918');
      expect(await p.store.headPosition()).toBe(before);
    });
  });
});
