import { agreementStreamId } from '@accord/domain';
import { EVENT_STORE, EventStore } from '@accord/event-store';
import { buildPartnership, Partnership, seedAgreementBody, signAll } from './support/partnership';

/**
 * The life of the seed agreement over HTTP: drafted by its lead, signed by all eleven partners, amended,
 * re-signed, reviewed late, and terminated, with the clock moved by the test.
 */
describe('the Staffordshire safeguarding children ISA over HTTP', () => {
  let p: Partnership;
  let id: string;
  const lead = () => p.lead['staffordshire-cc']!;

  beforeAll(async () => {
    p = await buildPartnership('2023-05-22T09:00:00.000Z');
  });
  afterAll(() => p?.close());

  it('the lead organisation drafts it: 201 with the new id, version 1, draft', async () => {
    const reply = await lead().ok('POST', '/agreements', 201, { body: seedAgreementBody() });
    expect(reply.body).toMatchObject({ version: 1, status: 'draft', activeVersion: null, pendingVersion: 1 });
    expect(reply.body.id).toMatch(/^[0-9a-f-]{36}$/);
    id = reply.body.id;
  });

  it('ten signatures leave it a draft; the eleventh activates version 1 and starts the review clock', async () => {
    p.clock.set('2023-09-19T10:00:00.000Z');
    const parties = p.fixture.agreement.parties;
    const replies = await signAll(p, id, parties.slice(0, 10));
    expect(replies.map((r) => r.body.status)).toEqual(Array(10).fill('draft'));
    const last = await p.lead[parties[10]!]!.ok('POST', `/agreements/${id}/signatures`, 201, {
      body: { signatory: 'Governor', position: 'Governor', version: 1 },
    });
    expect(last.body).toMatchObject({
      version: 1,
      status: 'active',
      activeVersion: 1,
      pendingVersion: null,
      reviewOverdue: false,
      nextReviewDue: '2024-03-19T10:00:00.000Z',
    });
    const { body } = await lead().ok('GET', `/agreements/${id}`, 200);
    expect(body.versions).toHaveLength(1);
    expect(body.versions[0]).toMatchObject({ version: 1, state: 'active', reasonForChange: null });
    expect(body.versions[0].signatures).toHaveLength(11);
    expect(body.versions[0].signatures[0]).toEqual({
      orgId: 'staffordshire-cc',
      signatory: 'Signatory for staffordshire-cc',
      position: "Director of Children's Services",
      signedAt: '2023-09-19T10:00:00.000Z',
      signedOn: null,
    });
    expect(body.leadOrganisation).toEqual({ id: 'staffordshire-cc', name: 'Staffordshire County Council' });
    expect(body.parties).toHaveLength(11);
  });

  it('an amendment makes version 2 pending while version 1 governs; re-signing activates version 2', async () => {
    p.clock.set('2024-01-04T09:00:00.000Z');
    const amended = await lead().ok('POST', `/agreements/${id}/amendments`, 201, {
      body: { changes: { retentionPeriod: 'P2Y' }, reasonForChange: 'Working Together 2023 amendment' },
    });
    expect(amended.body).toMatchObject({ version: 2, status: 'active', activeVersion: 1, pendingVersion: 2 });
    let { body } = await lead().ok('GET', `/agreements/${id}`, 200);
    expect(body.terms.retentionPeriod).toBe('P1Y');
    expect(body.versions.map((v: { state: string }) => v.state)).toEqual(['active', 'pending']);
    expect(body.versions[1]).toMatchObject({
      reasonForChange: 'Working Together 2023 amendment',
      createdAt: '2024-01-04T09:00:00.000Z',
      awaitingSignatureFrom: p.fixture.agreement.parties,
    });
    const replies = await signAll(p, id);
    expect(replies[10]!.body).toMatchObject({
      version: 2,
      activeVersion: 2,
      pendingVersion: null,
      status: 'active',
    });
    ({ body } = await lead().ok('GET', `/agreements/${id}`, 200));
    expect(body.terms.retentionPeriod).toBe('P2Y');
    expect(body.versions.map((v: { state: string }) => v.state)).toEqual(['superseded', 'active']);
    // Re-activation keeps the first review date: the review clock started with version 1.
    expect(body.nextReviewDue).toBe('2024-03-19T10:00:00.000Z');
  });

  it('past its review date the agreement stays active, flagged overdue, in the list, the detail and the register', async () => {
    p.clock.set('2024-03-20T09:00:00.000Z');
    const { body } = await lead().ok('GET', `/agreements/${id}`, 200);
    expect(body).toMatchObject({ status: 'active', reviewOverdue: true });
    const list = await lead().ok('GET', '/agreements?status=active', 200);
    expect(list.body.items).toEqual([expect.objectContaining({ id, reviewOverdue: true })]);
    const register = await p.world.client().ok('GET', '/register', 200);
    expect(register.body.categories).toEqual([
      {
        category: 'Safer Community',
        agreements: [
          expect.objectContaining({
            id,
            version: 2,
            reviewOverdue: true,
            reviewDue: '2024-03-19T10:00:00.000Z',
          }),
        ],
      },
    ]);
  });

  it('a recorded review clears the flag and sets the next review one interval on', async () => {
    const reviewed = await p.lead['sst-icb']!.ok('POST', `/agreements/${id}/reviews`, 201, { body: {} });
    expect(reviewed.body).toMatchObject({ reviewOverdue: false, nextReviewDue: '2025-03-20T09:00:00.000Z' });
  });

  it('termination notice leaves it in force until the effective date, after which it is terminated and off the register', async () => {
    // Termination is the lead's act (docs/architecture.md §28); another party's notice would be its withdrawal.
    const notice = await lead().ok('POST', `/agreements/${id}/termination`, 201, {
      body: { effectiveAt: '2024-06-30' },
    });
    expect(notice.body).toMatchObject({
      status: 'active',
      terminationEffectiveAt: '2024-06-30T00:00:00.000Z',
    });
    let register = await p.world.client().ok('GET', '/register', 200);
    expect(register.body.categories[0].agreements[0]).toMatchObject({
      id,
      endsOn: '2024-06-30T00:00:00.000Z',
    });

    p.clock.set('2024-07-01T09:00:00.000Z');
    const { body } = await lead().ok('GET', `/agreements/${id}`, 200);
    expect(body).toMatchObject({
      status: 'terminated',
      reviewOverdue: false,
      termination: { noticeServedBy: 'staffordshire-cc', effectiveAt: '2024-06-30T00:00:00.000Z' },
    });
    register = await p.world.client().ok('GET', '/register', 200);
    expect(register.body).toEqual({ asOf: '2024-07-01', total: 0, categories: [] });
    const late = await lead().request('POST', `/agreements/${id}/reviews`, { body: {} });
    expect(late.status).toBe(409);
    expect(late.body.type).toBe('https://accord.example/problems/agreement.terminated');
  });

  it('every step is one event in the agreement stream, each naming the acting user and organisation', async () => {
    const store = p.world.api.app.get<EventStore>(EVENT_STORE);
    const events = await store.readStream(agreementStreamId(id));
    const types = events.map((e) => e.type);
    expect(types.filter((t) => t === 'AgreementSigned')).toHaveLength(22);
    expect(types.filter((t) => t === 'AgreementActivated')).toHaveLength(2);
    expect(types[0]).toBe('AgreementDrafted');
    expect(types.slice(-2)).toEqual(['AgreementReviewed', 'AgreementTerminated']);
    expect(events[0]!.meta.actor).toMatchObject({ orgId: 'staffordshire-cc', role: 'ig-lead' });
  });
});
