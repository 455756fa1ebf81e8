import { existsSync, readdirSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { ApiClient } from '../authz/world';
import { eventually } from '../../libs/projections/src/testing/projection-test-kit';
import {
  buildDocumentsPartnership,
  codeOf,
  documentEvents,
  DocumentsPartnership,
  HOSPITAL,
  organisationKey,
  POLICE,
  SENDER,
  share,
  shareMetadata,
} from './support/documents-partnership';

/**
 * A share is decided before its payload is read (docs/architecture.md §9.7), and its upload can take as long
 * as the client likes. What the decision rested on (the agreement in force, the recipients' keys, the
 * sender's account) can change while the payload streams; a change acknowledged before the share is
 * recorded must refuse it, and the refusal must be recorded like any other.
 */
describe('documents: a share whose grounds change while its payload streams', () => {
  let p: DocumentsPartnership;
  let tempDir: string;

  beforeAll(async () => {
    p = await buildDocumentsPartnership();
    tempDir = join(p.world.api.config.dataDir, 'objects', '.tmp');
  }, 60_000);
  afterAll(() => p?.close());

  /**
   * POST /documents with a plaintext payload sent in two halves: the first half, then (once the api has
   * decided the share and is writing the payload into the object store) `meanwhile`, then the rest.
   */
  async function slowShare(
    client: ApiClient,
    meanwhile: () => Promise<void>,
    overrides: Record<string, unknown> = {},
  ) {
    const boundary = `race${crypto.randomUUID()}`;
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="metadata"\r\n\r\n` +
        `${JSON.stringify(shareMetadata(p, overrides))}\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="payload"; filename="notes.txt"\r\n` +
        `Content-Type: application/octet-stream\r\n\r\n`,
    );
    const half = Buffer.alloc(2 * 1024 * 1024, 'case notes. ');
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    const url = new URL(`${client.url}/documents`);
    const reply = new Promise<{ status: number; body: { type?: string; documentId?: string } }>(
      (resolve, reject) => {
        const req = request(
          {
            host: url.hostname,
            port: url.port,
            path: url.pathname,
            method: 'POST',
            headers: {
              authorization: `Bearer ${client.token}`,
              'content-type': `multipart/form-data; boundary=${boundary}`,
            },
          },
          (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (c: string) => (text += c));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : {} }));
          },
        );
        req.on('error', reject);
        req.write(Buffer.concat([head, half]));
        // The object store's temp file exists once the share has been decided and the payload is being stored.
        void eventually(() => existsSync(tempDir) && readdirSync(tempDir).length > 0, 30_000)
          .then(meanwhile)
          .then(() => req.end(Buffer.concat([half, tail])), reject);
      },
    );
    return reply;
  }

  async function expectRefusedAndRecorded(
    reply: { status: number; body: { type?: string; documentId?: string } },
    status: number,
    code: string,
  ) {
    expect([reply.status, codeOf(reply)]).toEqual([status, code]);
    const events = await documentEvents(p, reply.body.documentId!);
    expect(events.map((e) => [e.type, e.data['reason']])).toEqual([['AccessDenied', code]]);
    // Nothing of the refused payload is left in the object store.
    expect(existsSync(tempDir) ? readdirSync(tempDir) : []).toEqual([]);
  }

  it('an agreement suspended while the payload streams refuses the share: 409 share.agreement-suspended, recorded', async () => {
    const reply = await slowShare(p.practitioner, async () => {
      await p.lead[SENDER]!.ok('POST', `/agreements/${p.agreementId}/suspension`, 201, {
        body: { reason: 'breach under investigation' },
      });
    });
    await p.lead[SENDER]!.ok('DELETE', `/agreements/${p.agreementId}/suspension`, 200, {
      body: { reason: 'resolved' },
    });
    await expectRefusedAndRecorded(reply, 409, 'share.agreement-suspended');
  }, 60_000);

  it('a sender suspended while the payload streams is refused: 403 share.user-suspended, recorded', async () => {
    const sender = await p.world.enrol(SENDER, 'practitioner');
    const reply = await slowShare(p.world.client(sender.token), async () => {
      await p.lead[SENDER]!.ok('POST', `/users/${sender.userId}/suspension`, 200, {
        body: { reason: 'left the service' },
      });
    });
    await expectRefusedAndRecorded(reply, 403, 'share.user-suspended');
  }, 60_000);

  it("one of a recipient's keys revoked while the payload streams refuses the share: 422 share.recipients-mismatch, recorded", async () => {
    const spare = await organisationKey(`${HOSPITAL}-spare`);
    await p.lead[HOSPITAL]!.ok('POST', `/organisations/${HOSPITAL}/keys`, 201, {
      body: { publicKey: spare.publicKey },
    });
    const reply = await slowShare(
      p.practitioner,
      async () => {
        await p.lead[HOSPITAL]!.ok(
          'DELETE',
          `/organisations/${HOSPITAL}/keys/${p.keys[HOSPITAL]!.fingerprint}`,
          200,
          { body: { reason: 'compromised' } },
        );
      },
      { recipients: [HOSPITAL] },
    );
    await expectRefusedAndRecorded(reply, 422, 'share.recipients-mismatch');
    expect(reply.body).toMatchObject({ unexpected: [p.keys[HOSPITAL]!.fingerprint] });
    // Shared again, it is encrypted to the key left.
    const again = await share(p.practitioner, shareMetadata(p, { recipients: [HOSPITAL] }), 'notes');
    expect(again.status).toBe(201);
    expect(again.body.recipientFingerprints).toContain(spare.fingerprint);
    expect(again.body.recipientFingerprints).not.toContain(p.keys[HOSPITAL]!.fingerprint);
  }, 60_000);

  it("a recipient's only key revoked while the payload streams refuses the share: share.recipient-has-no-key, recorded", async () => {
    const reply = await slowShare(p.practitioner, async () => {
      await p.lead[POLICE]!.ok('DELETE', `/organisations/${POLICE}/keys/${p.keys[POLICE]!.fingerprint}`, 200, {
        body: { reason: 'compromised' },
      });
    });
    await expectRefusedAndRecorded(reply, 422, 'share.recipient-has-no-key');
    // And nothing new can be shared to it; the record verifies.
    const after = await share(p.practitioner, shareMetadata(p), 'later notes');
    expect(codeOf(after)).toBe('share.recipient-has-no-key');
    const auditor = p.world.client((await p.world.enrol(SENDER, 'auditor')).token);
    expect((await auditor.get('/audit/verify')).body).toMatchObject({ ok: true });
  }, 60_000);
});
