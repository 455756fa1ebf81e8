import { Readable } from 'node:stream';
import { encryptStream } from '@accord/crypto';
import {
  buildDocumentsPartnership,
  DocumentsPartnership,
  HOSPITAL,
  KEY_TIME,
  organisationKey,
  POLICE,
  SENDER,
  share,
  shareMetadata,
} from './support/documents-partnership';
import { handAppendedAgreement, refused } from './support/policy-refusals';

const FOREIGN = 'prefecture-de-police';

async function toBuffer(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * docs/architecture.md §9.4 to §9.6 over HTTP: UK-only (TransferBlocked), the payload's recipients,
 * retention. Each refuses with its own problem type and records its event; no refused share leaves an object
 * behind.
 */
describe('documents: UK-only, the payload and retention refuse a share', () => {
  let p: DocumentsPartnership;
  let foreignAgreement: string;
  const meta = (overrides: Record<string, unknown> = {}) => shareMetadata(p, overrides);

  beforeAll(async () => {
    p = await buildDocumentsPartnership();
    // A French partner: a recipient may not be foreign.
    await p.world.asAdmin.ok('POST', '/organisations', 201, {
      body: {
        id: FOREIGN,
        name: 'Préfecture de police',
        kind: 'police',
        jurisdiction: 'FR',
        icoRegistration: null,
      },
    });
    p.lead[FOREIGN] = p.world.client((await p.world.enrol(FOREIGN, 'ig-lead')).token);
    const key = await organisationKey(FOREIGN);
    await p.lead[FOREIGN]!.ok('POST', `/organisations/${FOREIGN}/keys`, 201, {
      body: { publicKey: key.publicKey },
    });
    // Clause 6.0 now refuses such an agreement at draft (docs/architecture.md §8.3); one recorded before
    // that rule is written to the log directly, and the share policy still refuses to send abroad.
    foreignAgreement = await handAppendedAgreement(p, {
      parties: [SENDER, POLICE, FOREIGN],
      purposes: [p.fixture.agreement.purposes[0]],
    });
  });
  afterAll(() => p?.close());

  describe('rule 4: UK-only, recorded as TransferBlocked', () => {
    it('a recipient in France: 403 transfer.recipient-outside-uk to FR', async () => {
      await refused(
        p,
        p.practitioner,
        meta({ agreementId: foreignAgreement, recipients: [FOREIGN], dataCategories: ['name'] }),
        { status: 403, code: 'transfer.recipient-outside-uk', record: 'TransferBlocked', destination: 'FR' },
      );
    });
    it('a client a trusted proxy places in France: 403 transfer.client-outside-uk to FR', async () => {
      const { event } = await refused(
        p,
        p.practitioner,
        meta(),
        { status: 403, code: 'transfer.client-outside-uk', record: 'TransferBlocked', destination: 'FR' },
        { headers: { 'x-client-country': 'FR' } },
      );
      expect(event.meta.client).toMatchObject({ country: 'FR' });
    });
    // transfer.storage-region-not-uk needs an api configured otherwise: documents-config.e2e-spec.ts.
  });

  describe('rule 5: the payload is to exactly the recipients’ active keys', () => {
    it('a recipient without any key: 422 share.recipient-has-no-key, before the payload is read', async () => {
      const { reply } = await refused(p, p.practitioner, meta({ recipients: [POLICE, 'sst-icb'] }), {
        status: 422,
        code: 'share.recipient-has-no-key',
      });
      expect(reply.body.recipients).toEqual(['sst-icb']);
    });
    it('a message missing a recipient’s key: 422 share.recipients-mismatch naming it', async () => {
      const ciphertext = await toBuffer(
        await encryptStream(Buffer.from('for the police only'), {
          encryptionKeys: [p.keys[POLICE]!.publicKey],
          now: new Date(KEY_TIME.getTime() + 86_400_000),
        }),
      );
      const { reply } = await refused(
        p,
        p.practitioner,
        meta({ recipients: [POLICE, HOSPITAL] }),
        { status: 422, code: 'share.recipients-mismatch' },
        { payload: ciphertext },
      );
      expect(reply.body).toMatchObject({ missing: [p.keys[HOSPITAL]!.fingerprint], unexpected: [] });
    });
    it('a message to a key that is not a recipient’s: 422 share.recipients-mismatch naming its key id', async () => {
      const stranger = await organisationKey('stranger');
      const ciphertext = await toBuffer(
        await encryptStream(Buffer.from('to a stranger too'), {
          encryptionKeys: [p.keys[POLICE]!.publicKey, stranger.publicKey],
          now: new Date(KEY_TIME.getTime() + 86_400_000),
        }),
      );
      const { reply } = await refused(
        p,
        p.practitioner,
        meta(),
        { status: 422, code: 'share.recipients-mismatch' },
        { payload: ciphertext },
      );
      expect(reply.body.unexpected).toHaveLength(1);
    });
    it('an encrypted message without integrity protection: 422 share.payload-not-integrity-protected', async () => {
      const sed = Buffer.concat([Buffer.from([0xc9, 0x20]), Buffer.alloc(32, 7)]);
      await refused(
        p,
        p.practitioner,
        meta(),
        { status: 422, code: 'share.payload-not-integrity-protected' },
        { payload: sed },
      );
    });
  });

  describe('rule 6: retention', () => {
    it('a retainUntil beyond the agreement’s retention period: 422 share.retention-longer-than-agreement', async () => {
      const { reply } = await refused(p, p.practitioner, meta({ retainUntil: '2027-01-01' }), {
        status: 422,
        code: 'share.retention-longer-than-agreement',
      });
      expect(reply.body.latestRetainUntil).toBe('2026-03-03T09:00:00.000Z');
    });
    it('a retainUntil in the past: 422 share.retain-until-invalid', async () => {
      await refused(p, p.practitioner, meta({ retainUntil: '2025-01-01' }), {
        status: 422,
        code: 'share.retain-until-invalid',
      });
    });
    it('a shorter retention is honoured', async () => {
      const reply = await share(p.practitioner, meta({ retainUntil: '2025-06-30' }), 'x');
      expect(reply.body).toMatchObject({ retainUntil: '2025-06-30T00:00:00.000Z' });
    });
  });

  it('an IG lead of the sender may share too', async () => {
    expect((await share(p.lead[SENDER]!, meta(), 'x')).status).toBe(201);
  });
});
