import { uuidv7 } from '@accord/event-store';
import {
  buildDocumentsPartnership,
  codeOf,
  documentEvents,
  DocumentsPartnership,
  POLICE,
  SENDER,
  share,
  shareMetadata,
  START,
} from './support/documents-partnership';
import { handAppendedAgreement, refused, twoPartyAgreement } from './support/policy-refusals';

/**
 * docs/architecture.md §9.1 to §9.3 over HTTP: each refuses with its own problem type and status and records
 * AccessDenied on the would-be document's stream; no refused share leaves an object behind.
 */
describe('documents: the agreement, the parties and the terms refuse a share', () => {
  let p: DocumentsPartnership;
  const agreements: Record<string, string> = {};
  const meta = (overrides: Record<string, unknown> = {}) => shareMetadata(p, overrides);

  beforeAll(async () => {
    p = await buildDocumentsPartnership();
    const draft = await p.lead[SENDER]!.ok('POST', '/agreements', 201, {
      body: {
        title: 'Unsigned draft',
        purposes: ['x'],
        tier: 1,
        category: 'Safer Community',
        leadOrg: SENDER,
        parties: [SENDER, POLICE],
        lawfulBases: ['uk-gdpr-art6-1-e'],
        dataCategories: ['name'],
        retentionPeriod: 'P1Y',
      },
    });
    agreements['draft'] = draft.body.id;
    agreements['suspended'] = await twoPartyAgreement(p, [SENDER, POLICE]);
    await p.lead[SENDER]!.ok('POST', `/agreements/${agreements['suspended']}/suspension`, 201, {
      body: { reason: 'breach' },
    });
    agreements['terminated'] = await twoPartyAgreement(p, [SENDER, POLICE]);
    await p.lead[POLICE]!.ok('POST', `/agreements/${agreements['terminated']}/termination`, 201, {
      body: { effectiveAt: START.slice(0, 10) },
    });
  });
  afterAll(() => p?.close());

  describe('rule 1: the agreement is in force', () => {
    it('no such agreement: 404 share.agreement-not-found', async () => {
      await refused(p, p.practitioner, meta({ agreementId: uuidv7() }), {
        status: 404,
        code: 'share.agreement-not-found',
      });
    });
    it('a draft not signed by every party: 409 share.agreement-not-active', async () => {
      await refused(p, p.practitioner, meta({ agreementId: agreements['draft'] }), {
        status: 409,
        code: 'share.agreement-not-active',
      });
    });
    it('a suspended agreement: 409 share.agreement-suspended', async () => {
      await refused(p, p.practitioner, meta({ agreementId: agreements['suspended'] }), {
        status: 409,
        code: 'share.agreement-suspended',
      });
    });
    it('a terminated agreement: 409 share.agreement-terminated', async () => {
      await refused(p, p.practitioner, meta({ agreementId: agreements['terminated'] }), {
        status: 409,
        code: 'share.agreement-terminated',
      });
    });
  });

  describe('rule 2: sender, recipients and user', () => {
    it('an auditor: 403 share.user-role, recorded with the auditor as actor', async () => {
      const auditor = p.world.client((await p.world.enrol(SENDER, 'auditor')).token);
      const { event } = await refused(p, auditor, meta(), { status: 403, code: 'share.user-role' });
      expect(event.meta.actor).toMatchObject({ role: 'auditor', orgId: SENDER });
    });
    it('a suspended user or one who has not accepted the access agreement is stopped by the guard first', async () => {
      const pending = p.world.client((await p.world.enrol(SENDER, 'practitioner', { accept: false })).token);
      expect(codeOf(await share(pending, meta(), 'x'))).toBe('user.access-agreement-not-accepted');
      const user = await p.world.enrol(SENDER, 'practitioner');
      await p.lead[SENDER]!.ok('POST', `/users/${user.userId}/suspension`, 200, {
        body: { reason: 'investigation' },
      });
      expect(codeOf(await share(p.world.client(user.token), meta(), 'x'))).toBe('user.suspended');
    });
    it('a practitioner of an organisation that is not a party: 403 share.sender-not-party', async () => {
      const outsider = await p.world.newOrganisation('outsider');
      const client = p.world.client(outsider.users.practitioner.token);
      await refused(p, client, meta(), { status: 403, code: 'share.sender-not-party' });
    });
    it('no recipient named: 422 share.recipients-required', async () => {
      await refused(p, p.practitioner, meta({ recipients: [' '] }), {
        status: 422,
        code: 'share.recipients-required',
      });
    });
    it('the sender as its own recipient: 422 share.recipient-is-sender', async () => {
      await refused(p, p.practitioner, meta({ recipients: [SENDER] }), {
        status: 422,
        code: 'share.recipient-is-sender',
      });
    });
    it('a recipient not party to the agreement: 422 share.recipient-not-party naming it', async () => {
      const { reply } = await refused(p, p.practitioner, meta({ recipients: [POLICE, 'devon-cc'] }), {
        status: 422,
        code: 'share.recipient-not-party',
      });
      expect(reply.body.recipients).toEqual(['devon-cc']);
    });
    it('a party never registered on the platform: 422 share.recipient-not-registered', async () => {
      const id = await handAppendedAgreement(p, { parties: [SENDER, POLICE, 'ghost-org'] });
      await refused(
        p,
        p.practitioner,
        meta({
          agreementId: id,
          recipients: ['ghost-org'],
          purpose: 'legacy purpose',
          dataCategories: ['name'],
        }),
        {
          status: 422,
          code: 'share.recipient-not-registered',
        },
      );
    });
  });

  describe('rule 3: purpose and data categories', () => {
    it('a purpose the agreement does not name: 422 share.purpose-not-permitted', async () => {
      await refused(p, p.practitioner, meta({ purpose: 'marketing' }), {
        status: 422,
        code: 'share.purpose-not-permitted',
      });
    });
    it('no data category declared: 422 share.categories-required', async () => {
      await refused(p, p.practitioner, meta({ dataCategories: [] }), {
        status: 422,
        code: 'share.categories-required',
      });
    });
    it('a category outside the agreement: 422 share.category-not-permitted', async () => {
      const { reply } = await refused(
        p,
        p.practitioner,
        meta({ dataCategories: ['name', 'sexual-orientation'] }),
        {
          status: 422,
          code: 'share.category-not-permitted',
        },
      );
      expect(reply.body.dataCategories).toEqual(['sexual-orientation']);
    });
    it('special-category data under terms without an Article 9 condition: 422 share.special-category-without-art9', async () => {
      const id = await handAppendedAgreement(p, { dataCategories: ['name', 'health'] });
      await refused(
        p,
        p.practitioner,
        meta({ agreementId: id, purpose: 'legacy purpose', dataCategories: ['health'] }),
        {
          status: 422,
          code: 'share.special-category-without-art9',
        },
      );
    });
    it('criminal-offence data under terms without a Schedule 1 condition or Part 3: 422 share.criminal-offence-without-condition', async () => {
      const id = await handAppendedAgreement(p, { dataCategories: ['name', 'criminal-convictions'] });
      await refused(
        p,
        p.practitioner,
        meta({ agreementId: id, purpose: 'legacy purpose', dataCategories: ['criminal-convictions'] }),
        { status: 422, code: 'share.criminal-offence-without-condition' },
      );
    });
  });

  it('a refused share retried with the same Idempotency-Key answers the same and records it once', async () => {
    const headers = { 'idempotency-key': 'refused-share-retry' };
    const first = await share(p.practitioner, meta({ purpose: 'marketing' }), 'x', { headers });
    const again = await share(p.practitioner, meta({ purpose: 'marketing' }), 'x', { headers });
    expect([first.status, again.status]).toEqual([422, 422]);
    expect(again.body.documentId).toBe(first.body.documentId);
    expect((await documentEvents(p, first.body.documentId)).map((e) => e.type)).toEqual(['AccessDenied']);
  });

  it('an IG lead of the sender may share too', async () => {
    expect((await share(p.lead[SENDER]!, meta(), 'x')).status).toBe(201);
  });
});
