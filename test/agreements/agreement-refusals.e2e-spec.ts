import { EVENT_STORE, EventStore } from '@accord/event-store';
import { ApiClient } from '../authz/world';
import {
  buildPartnership,
  Partnership,
  problemCode,
  seedAgreementBody,
  signAll,
} from './support/partnership';

const PROBLEM = /^application\/problem\+json/;
const WHO_MAY_ACT = new Set(['agreement.not-a-party', 'auth.forbidden-role', 'auth.other-organisation']);

/** Each refusal is a problem+json whose type is its own stable code, and appends nothing. */
describe('agreement refusals over HTTP', () => {
  let p: Partnership;
  let parentId: string;
  const council = () => p.lead['staffordshire-cc']!;
  const police = () => p.lead['staffordshire-police']!;
  const store = () => p.world.api.app.get<EventStore>(EVENT_STORE);

  const twoParty = (overrides: Record<string, unknown> = {}) => ({
    ...seedAgreementBody(),
    title: 'Multi-agency safeguarding hub',
    parties: ['staffordshire-cc', 'staffordshire-police'],
    ...overrides,
  });

  /**
   * A refusal of who may act (role, organisation, party) is recorded: one ActionRefused with its code on the
   * caller's stream (README: every denial is an immutable event). Any other refusal appends nothing.
   */
  async function refused(client: ApiClient, method: string, path: string, body: unknown) {
    const before = await store().headPosition();
    const reply = await client.request(method, path, { body });
    expect(reply.headers.get('content-type')).toMatch(PROBLEM);
    const code = problemCode(reply);
    const appended: string[] = [];
    for await (const page of store().readAll({ after: before }))
      for (const e of page) appended.push(`${e.type} ${String(e.data['reason'] ?? '')}`);
    expect(appended).toEqual(WHO_MAY_ACT.has(code ?? '') ? [`ActionRefused ${code}`] : []);
    return { status: reply.status, code, body: reply.body };
  }

  beforeAll(async () => {
    p = await buildPartnership('2025-02-03T09:00:00.000Z');
    const parent = await council().ok('POST', '/agreements', 201, { body: seedAgreementBody() });
    parentId = parent.body.id;
    await signAll(p, parentId);
  });
  afterAll(() => p?.close());

  it('special-category data without an Article 9 condition: 422 agreement.art9-basis-required', async () => {
    const body = twoParty({
      lawfulBases: ['uk-gdpr-art6-1-e', 'dpa2018-sch1-pt2-para18'],
      dataCategories: ['name', 'health'],
    });
    expect(await refused(council(), 'POST', '/agreements', body)).toMatchObject({
      status: 422,
      code: 'agreement.art9-basis-required',
      body: { dataCategories: ['health'] },
    });
  });

  it('criminal-offence data without a Schedule 1 condition or Part 3: 422 agreement.criminal-offence-condition-required', async () => {
    const body = twoParty({
      lawfulBases: ['uk-gdpr-art6-1-e'],
      dataCategories: ['name', 'criminal-investigations'],
    });
    expect(await refused(council(), 'POST', '/agreements', body)).toMatchObject({
      status: 422,
      code: 'agreement.criminal-offence-condition-required',
    });
  });

  it('a tier-2 agreement reaching beyond its parent: 422 agreement.outside-parent-scope', async () => {
    const body = twoParty({ tier: 2, parentId, dataCategories: ['name', 'education'] });
    expect(await refused(council(), 'POST', '/agreements', body)).toMatchObject({
      status: 422,
      code: 'agreement.outside-parent-scope',
      body: { field: 'dataCategories', values: ['education'] },
    });
  });

  it('an amendment of a tier-1 that would leave its tier-2 child outside: 409 agreement.amendment-excludes-child', async () => {
    const child = await council().ok('POST', '/agreements', 201, {
      body: twoParty({
        tier: 2,
        parentId,
        dataCategories: ['name', 'health'],
        lawfulBases: seedAgreementBody().lawfulBases,
      }),
    });
    const narrower = seedAgreementBody().dataCategories.filter((c) => c !== 'health');
    const refusal = await refused(council(), 'POST', `/agreements/${parentId}/amendments`, {
      changes: { dataCategories: narrower },
      reasonForChange: 'health data no longer shared',
    });
    expect(refusal).toMatchObject({
      status: 409,
      code: 'agreement.amendment-excludes-child',
      body: { field: 'dataCategories', agreementIds: [child.body.id] },
    });
    // The same amendment is fine once the child has ended.
    await council().ok('POST', `/agreements/${child.body.id}/termination`, 201, {
      body: { effectiveAt: '2025-02-03' },
    });
    await council().ok('POST', `/agreements/${parentId}/amendments`, 201, {
      body: { changes: { dataCategories: narrower }, reasonForChange: 'health data no longer shared' },
    });
  });

  it('a non-party signing: 403 agreement.not-a-party', async () => {
    const draft = await council().ok('POST', '/agreements', 201, { body: twoParty() });
    expect(
      await refused(p.lead['uhnm']!, 'POST', `/agreements/${draft.body.id}/signatures`, {
        signatory: 'A',
        position: 'B',
      }),
    ).toMatchObject({ status: 403, code: 'agreement.not-a-party' });
    // Its own organisation's audit trail shows the attempt; the agreement's parties are not told of it.
    const rows = (await p.lead['uhnm']!.ok('GET', '/audit/organisations/uhnm/history?limit=1000', 200)).body
      .items as { type: string; details: Record<string, unknown> }[];
    expect(rows.filter((r) => r.type === 'ActionRefused').map((r) => r.details)).toContainEqual({
      route: 'POST /agreements/:id/signatures',
      reason: 'agreement.not-a-party',
      resourceId: draft.body.id,
    });
    const lead = (
      await p.lead['staffordshire-cc']!.ok(
        'GET',
        '/audit/organisations/staffordshire-cc/history?limit=1000',
        200,
      )
    ).body.items as { type: string; details: Record<string, unknown> }[];
    expect(JSON.stringify(lead.filter((r) => r.type === 'ActionRefused'))).not.toContain(draft.body.id);
  });

  it('a practitioner drafting: 403 auth.forbidden-role, recorded', async () => {
    expect(await refused(p.practitioner, 'POST', '/agreements', twoParty())).toMatchObject({
      status: 403,
      code: 'auth.forbidden-role',
    });
  });

  it('signing the same version twice: 409 agreement.already-signed', async () => {
    const draft = await council().ok('POST', '/agreements', 201, { body: twoParty() });
    const path = `/agreements/${draft.body.id}/signatures`;
    await police().ok('POST', path, 201, { body: { signatory: 'A', position: 'Assistant Chief Constable' } });
    expect(
      await refused(police(), 'POST', path, { signatory: 'A', position: 'Assistant Chief Constable' }),
    ).toMatchObject({
      status: 409,
      code: 'agreement.already-signed',
      body: { version: 1 },
    });
  });

  it('signing a version older than the latest: 409 agreement.version-changed', async () => {
    const draft = await council().ok('POST', '/agreements', 201, { body: twoParty() });
    await council().ok('POST', `/agreements/${draft.body.id}/amendments`, 201, {
      body: { changes: { title: 'MASH agreement' }, reasonForChange: 'new title' },
    });
    expect(
      await refused(police(), 'POST', `/agreements/${draft.body.id}/signatures`, {
        signatory: 'A',
        position: 'B',
        version: 1,
      }),
    ).toMatchObject({ status: 409, code: 'agreement.version-changed', body: { currentVersion: 2 } });
  });

  it('a party that is not a registered organisation: 422 agreement.party-not-registered, naming it', async () => {
    expect(
      await refused(
        council(),
        'POST',
        '/agreements',
        twoParty({ parties: ['staffordshire-cc', 'no-such-org'] }),
      ),
    ).toMatchObject({
      status: 422,
      code: 'agreement.party-not-registered',
      body: { organisations: ['no-such-org'] },
    });
    const amendment = {
      changes: { parties: [...seedAgreementBody().parties, 'no-such-org'] },
      reasonForChange: 'a new partner',
    };
    expect(await refused(council(), 'POST', `/agreements/${parentId}/amendments`, amendment)).toMatchObject({
      status: 422,
      code: 'agreement.party-not-registered',
    });
    // A stranger to the agreement is told that first, not what is wrong with its amendment.
    expect(
      await refused(
        p.world.client(p.world.orgs.own.users['ig-lead'].token),
        'POST',
        `/agreements/${parentId}/amendments`,
        amendment,
      ),
    ).toMatchObject({ status: 403, code: 'agreement.not-a-party' });
  });

  it("drafting for another lead organisation: 403 auth.other-organisation (the caller's organisation leads)", async () => {
    expect(await refused(police(), 'POST', '/agreements', twoParty())).toMatchObject({
      status: 403,
      code: 'auth.other-organisation',
    });
  });

  it('a next review later than the interval allows: 422 agreement.next-review-invalid; an earlier one is kept', async () => {
    expect(
      await refused(council(), 'POST', `/agreements/${parentId}/reviews`, { nextReviewDue: '2027-01-01' }),
    ).toMatchObject({ status: 422, code: 'agreement.next-review-invalid' });
    const reviewed = await council().ok('POST', `/agreements/${parentId}/reviews`, 201, {
      body: { nextReviewDue: '2025-06-30' },
    });
    expect(reviewed.body.nextReviewDue).toBe('2025-06-30T00:00:00.000Z');
  });

  it('an unknown field in the body: 400 validation-failed, before any domain rule', async () => {
    expect(await refused(council(), 'POST', '/agreements', { ...twoParty(), approvedBy: 'x' })).toMatchObject(
      {
        status: 400,
        code: 'validation-failed',
      },
    );
  });

  it('an unknown agreement: 404 agreement.not-found, for an id of any shape', async () => {
    for (const unknown of ['0195f1c2-0000-7000-8000-000000000000', 'not-an-id']) {
      expect(
        await refused(police(), 'POST', `/agreements/${unknown}/signatures`, {
          signatory: 'A',
          position: 'B',
        }),
      ).toMatchObject({
        status: 404,
        code: 'agreement.not-found',
      });
    }
  });

  it('suspension stops signing (409 agreement.suspended) until reinstated', async () => {
    const draft = await council().ok('POST', '/agreements', 201, { body: twoParty() });
    const id = draft.body.id;
    await signAll(p, id, ['staffordshire-cc', 'staffordshire-police']);
    const suspended = await police().ok('POST', `/agreements/${id}/suspension`, 201, {
      body: { reason: 'under review' },
    });
    expect(suspended.body.status).toBe('suspended');
    const registered = async () =>
      (
        (await p.world.client().ok('GET', '/register', 200)).body.categories as {
          agreements: { id: string }[];
        }[]
      )
        .flatMap((c) => c.agreements)
        .map((a) => a.id);
    // Nothing may be shared under a suspended agreement, so the register leaves it out while suspended.
    expect(await registered()).not.toContain(id);
    expect(
      await refused(police(), 'POST', `/agreements/${id}/suspension`, { reason: 'again' }),
    ).toMatchObject({ status: 409, code: 'agreement.suspended' });
    const reinstated = await police().ok('DELETE', `/agreements/${id}/suspension`, 200, {
      body: { reason: 'resolved' },
    });
    expect(reinstated.body.status).toBe('active');
    expect(await registered()).toContain(id);
  });

  it('a retried draft with the same Idempotency-Key answers as the first and appends nothing', async () => {
    const headers = { 'idempotency-key': 'draft-mash-1' };
    const first = await council().ok('POST', '/agreements', 201, { body: twoParty(), headers });
    const head = await store().headPosition();
    const retry = await council().ok('POST', '/agreements', 201, { body: twoParty(), headers });
    expect(retry.body).toEqual(first.body);
    expect(await store().headPosition()).toBe(head);
    const sign = { signatory: 'A', position: 'B' };
    const signHeaders = { 'idempotency-key': 'sign-mash-1' };
    const signed = await police().ok('POST', `/agreements/${first.body.id}/signatures`, 201, {
      body: sign,
      headers: signHeaders,
    });
    const signedAgain = await police().ok('POST', `/agreements/${first.body.id}/signatures`, 201, {
      body: sign,
      headers: signHeaders,
    });
    expect(signedAgain.body).toEqual(signed.body);
  });
});
