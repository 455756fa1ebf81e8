import { ApiClient } from '../authz/world';
import {
  buildPartnership,
  Partnership,
  problemCode,
  seedAgreementBody,
} from '../agreements/support/partnership';

const DISCOVERED = '2026-03-02T09:00:00.000Z';
const DEADLINE = '2026-03-05T09:00:00.000Z';

/** Issue 7: report, partners notified, assessment, the 72-hour ICO clock, notification, closure. */
describe('the breach lifecycle through the API', () => {
  let p: Partnership;
  let agreementId: string;
  let reporter: ApiClient;
  let breachId: string;
  const inboxKinds = async (client: ApiClient) =>
    ((await client.ok('GET', '/notifications', 200)).body.items as { kind: string; message: string }[])
      .filter((i) => i.kind.startsWith('breach-'))
      .map((i) => i.kind);
  const overdueIds = async (client: ApiClient) =>
    ((await client.ok('GET', '/breaches?overdue=true', 200)).body.items as { id: string }[]).map((b) => b.id);

  beforeAll(async () => {
    p = await buildPartnership('2026-03-01T09:00:00.000Z');
    reporter = p.lead[p.fixture.agreement.leadOrg]!;
    agreementId = (await reporter.ok('POST', '/agreements', 201, { body: seedAgreementBody() })).body.id;
    p.clock.set('2026-03-02T10:00:00.000Z');
  });
  afterAll(() => p?.close());

  const report = () => ({
    discoveredAt: DISCOVERED,
    description: 'Referral emailed to the wrong partner',
    nearMiss: false,
    severity: 'high',
    agreementId,
    dataCategories: ['name', 'health'],
    approxSubjects: 2,
  });

  it('a practitioner reports; every party of the agreement finds a breach notice in its inbox', async () => {
    const reply = await p.practitioner.ok('POST', '/breaches', 201, {
      body: report(),
      headers: { 'idempotency-key': 'breach-report-1' },
    });
    breachId = reply.body.id;
    expect(reply.body).toMatchObject({
      status: 'reported',
      reportedBy: p.fixture.agreement.leadOrg,
      icoDeadline: DEADLINE,
      icoStatus: 'awaiting-assessment',
      secondsLeft: 71 * 3600,
      notifiedOrgs: expect.arrayContaining(p.fixture.agreement.parties),
    });
    for (const org of p.fixture.agreement.parties)
      expect(await inboxKinds(p.lead[org]!)).toEqual(['breach-reported']);
    // The notice is for IG leads; it never quotes the description.
    const items = (await reporter.ok('GET', '/notifications', 200)).body.items as { message: string }[];
    expect(JSON.stringify(items)).not.toContain('wrong partner');
    expect(await inboxKinds(p.practitioner)).toEqual([]);
  });

  it('a retry with the same Idempotency-Key reports nothing twice', async () => {
    const again = await p.practitioner.ok('POST', '/breaches', 201, {
      body: report(),
      headers: { 'idempotency-key': 'breach-report-1' },
    });
    expect(again.body.id).toBe(breachId);
    // The same key with another body is not a retry (issue 12): refused, not answered with the first result.
    const other = await p.practitioner.request('POST', '/breaches', {
      body: { ...report(), description: 'x' },
      headers: { 'idempotency-key': 'breach-report-1' },
    });
    expect([other.status, other.body.type]).toEqual([
      422,
      'https://accord.example/problems/idempotency.key-reused',
    ]);
    expect((await reporter.ok('GET', '/breaches', 200)).body.items).toHaveLength(1);
  });

  it('assessed reportable: the deadline is discovery + 72 hours, with the time left shown', async () => {
    p.clock.set('2026-03-03T09:00:00.000Z');
    const reply = await reporter.ok('POST', `/breaches/${breachId}/assessment`, 201, {
      body: { icoReportable: true, rationale: 'health data of children' },
    });
    expect(reply.body).toMatchObject({
      icoReportable: true,
      icoDeadline: DEADLINE,
      icoStatus: 'due',
      secondsLeft: 48 * 3600,
    });
    const other = p.lead[p.fixture.agreement.parties.find((o) => o !== p.fixture.agreement.leadOrg)!]!;
    expect((await other.ok('GET', `/breaches/${breachId}`, 200)).body).toMatchObject({
      icoDeadline: DEADLINE,
      secondsLeft: 48 * 3600,
    });
  });

  it('reminds at 48 hours and lists the breach as overdue after 72 hours without an ICO notification', async () => {
    p.clock.set('2026-03-04T09:00:00.000Z');
    expect(await inboxKinds(reporter)).toEqual(['breach-ico-due-in-24-hours', 'breach-reported']);
    expect(await overdueIds(reporter)).toEqual([]);
    p.clock.set(DEADLINE);
    expect(await overdueIds(reporter)).toEqual([]);
    p.clock.set('2026-03-05T09:00:01.000Z');
    expect(await overdueIds(reporter)).toEqual([breachId]);
    expect(await inboxKinds(reporter)).toEqual([
      'breach-ico-overdue',
      'breach-ico-due-in-24-hours',
      'breach-reported',
    ]);
    expect((await reporter.ok('GET', `/breaches/${breachId}`, 200)).body).toMatchObject({
      overdue: true,
      icoStatus: 'overdue',
      secondsLeft: -1,
    });
  });

  it('refuses closure while the ICO notification is outstanding', async () => {
    const reply = await reporter.post(`/breaches/${breachId}/closure`, {
      outcome: 'contained',
      lessons: 'x',
    });
    expect([reply.status, problemCode(reply)]).toEqual([409, 'breach.ico-notification-outstanding']);
  });

  it('once the ICO is notified the breach is no longer overdue and its reminders leave the inbox', async () => {
    await reporter.ok('POST', `/breaches/${breachId}/ico-notification`, 201, {
      body: { reference: 'ICO-00042' },
    });
    expect(await overdueIds(reporter)).toEqual([]);
    expect(await inboxKinds(reporter)).toEqual(['breach-reported']);
    const told = await reporter.ok('POST', `/breaches/${breachId}/subject-notification`, 201, { body: {} });
    expect(told.body).toMatchObject({
      icoStatus: 'notified',
      icoReference: 'ICO-00042',
      subjectsNotifiedAt: '2026-03-05T09:00:01.000Z',
    });
  });

  it('closes with outcome and lessons; a closed breach takes nothing more', async () => {
    const closed = await reporter.ok('POST', `/breaches/${breachId}/closure`, 201, {
      body: { outcome: 'recalled and deleted', lessons: 'confirm recipient addresses' },
    });
    expect(closed.body).toMatchObject({ status: 'closed', outcome: 'recalled and deleted' });
    const reply = await reporter.post(`/breaches/${breachId}/subject-notification`, {});
    expect([reply.status, problemCode(reply)]).toEqual([409, 'breach.closed']);
  });
});

describe('breach refusals', () => {
  let p: Partnership;
  let reporter: ApiClient;
  const body = {
    discoveredAt: '2026-03-02T09:00:00.000Z',
    description: 'lost laptop',
    nearMiss: true,
    severity: 'low',
  };
  const refused = async (client: ApiClient, path: string, payload: unknown) => {
    const reply = await client.post(path, payload);
    return [reply.status, problemCode(reply), reply.headers.get('content-type')?.split(';')[0]];
  };

  beforeAll(async () => {
    p = await buildPartnership('2026-03-02T12:00:00.000Z');
    reporter = p.lead[p.fixture.agreement.leadOrg]!;
  });
  afterAll(() => p?.close());

  it('each rule answers with its own problem type', async () => {
    const pj = 'application/problem+json';
    expect(await refused(reporter, '/breaches', { ...body, discoveredAt: '2026-03-03T00:00:00Z' })).toEqual([
      422,
      'breach.discovered-in-future',
      pj,
    ]);
    // The ICO clock starts at discovery: a day that does not exist is refused, never moved to 2 March.
    for (const discoveredAt of ['2026-02-30T09:00:00Z', '2026-02-29T09:00:00Z', '2026-03-01T24:00:00Z'])
      expect(await refused(reporter, '/breaches', { ...body, discoveredAt })).toEqual([
        422,
        'breach.discovered-at-invalid',
        pj,
      ]);
    expect(
      await refused(reporter, '/breaches', { ...body, agreementId: '00000000-0000-7000-8000-000000000000' }),
    ).toEqual([422, 'breach.agreement-not-found', pj]);
    const id = (await reporter.ok('POST', '/breaches', 201, { body })).body.id as string;
    expect(await refused(reporter, `/breaches/${id}/ico-notification`, { reference: 'R' })).toEqual([
      409,
      'breach.not-assessed',
      pj,
    ]);
    await reporter.ok('POST', `/breaches/${id}/assessment`, 201, {
      body: { icoReportable: false, rationale: 'near miss' },
    });
    expect(
      await refused(reporter, `/breaches/${id}/assessment`, { icoReportable: true, rationale: 'again' }),
    ).toEqual([409, 'breach.already-assessed', pj]);
    expect(await refused(reporter, `/breaches/${id}/ico-notification`, { reference: 'R' })).toEqual([
      409,
      'breach.not-reportable',
      pj,
    ]);
    const outsider = p.world.client(p.world.orgs.own.users['ig-lead'].token);
    expect(await refused(outsider, `/breaches/${id}/closure`, { outcome: 'a', lessons: 'b' })).toEqual([
      404,
      'breach.not-found',
      pj,
    ]);
    expect((await outsider.get(`/breaches/${id}`)).status).toBe(404);
    expect((await outsider.ok('GET', '/breaches', 200)).body.items).toEqual([]);
  });
});

/**
 * The 72 hours run from discovery, assessed or not: an IG lead who works from `GET /breaches?overdue=true`
 * must find the breach nobody assessed, as the inbox's breach-ico-overdue already names it.
 */
describe('a breach left unassessed past 72 hours', () => {
  let p: Partnership;
  let reporter: ApiClient;
  const body = {
    discoveredAt: DISCOVERED,
    description: 'Referral left on a shared printer',
    nearMiss: false,
    severity: 'medium',
  };

  beforeAll(async () => {
    p = await buildPartnership('2026-03-02T10:00:00.000Z');
    reporter = p.lead[p.fixture.agreement.leadOrg]!;
  });
  afterAll(() => p?.close());

  it('is overdue in the list, its detail and the inbox alike; assessed not reportable, in none', async () => {
    const id = (await reporter.ok('POST', '/breaches', 201, { body })).body.id as string;
    const overdueIds = async () =>
      ((await reporter.ok('GET', '/breaches?overdue=true', 200)).body.items as { id: string }[]).map(
        (b) => b.id,
      );
    const inboxOverdue = async () =>
      ((await reporter.ok('GET', '/notifications', 200)).body.items as { kind: string }[]).filter(
        (i) => i.kind === 'breach-ico-overdue',
      ).length;
    p.clock.set(DEADLINE);
    expect([await overdueIds(), await inboxOverdue()]).toEqual([[], 0]);
    p.clock.set('2026-03-05T09:00:01.000Z');
    expect((await reporter.ok('GET', `/breaches/${id}`, 200)).body).toMatchObject({
      icoStatus: 'awaiting-assessment',
      overdue: true,
      secondsLeft: -1,
    });
    expect([await overdueIds(), await inboxOverdue()]).toEqual([[id], 1]);
    await reporter.ok('POST', `/breaches/${id}/assessment`, 201, {
      body: { icoReportable: false, rationale: 'no personal data left the building' },
    });
    expect([await overdueIds(), await inboxOverdue()]).toEqual([[], 0]);
  });
});

/**
 * "Every ... denial ... is an immutable event" (README): a refused action on a breach is recorded as other
 * refusals are, on the refused user's stream; the audit trail shows it to the user's organisation and, when
 * that organisation is involved in the breach, to its reporter; never the reporter to an outsider.
 */
describe('a refused action on a breach', () => {
  let p: Partnership;
  type Row = { type: string; actor: { userId: string | null }; details: Record<string, unknown> };
  const refusals = async (client: ApiClient, orgId: string) =>
    ((await client.ok('GET', `/audit/organisations/${orgId}/history?limit=1000`, 200)).body.items as Row[])
      .filter((r) => r.type === 'ActionRefused')
      .map((r) => r.details);

  beforeAll(async () => {
    p = await buildPartnership('2026-03-02T12:00:00.000Z');
  });
  afterAll(() => p?.close());

  it('is an immutable event that the audit trail shows to those involved', async () => {
    const leadOrg = p.fixture.agreement.leadOrg;
    const reporter = p.lead[leadOrg]!;
    const agreementId = (await reporter.ok('POST', '/agreements', 201, { body: seedAgreementBody() })).body
      .id as string;
    const partyOrg = p.fixture.agreement.parties.find((o) => o !== leadOrg)!;
    const outsiderOrg = p.world.orgs.own.id;
    const outsider = p.world.client(p.world.orgs.own.users['ig-lead'].token);
    const id = (
      await reporter.ok('POST', '/breaches', 201, {
        body: {
          discoveredAt: '2026-03-02T09:00:00.000Z',
          description: 'lost laptop',
          nearMiss: false,
          severity: 'low',
          agreementId,
        },
      })
    ).body.id as string;
    const assess = { icoReportable: false, rationale: 'encrypted' };
    const attempts: [ApiClient, string, unknown, number, string][] = [
      [p.practitioner, `/breaches/${id}/assessment`, assess, 403, 'auth.forbidden-role'],
      [p.lead[partyOrg]!, `/breaches/${id}/assessment`, assess, 403, 'breach.not-reporter'],
      [outsider, `/breaches/${id}/closure`, { outcome: 'a', lessons: 'b' }, 404, 'breach.not-found'],
      [
        outsider,
        '/breaches',
        {
          discoveredAt: '2026-03-02T09:00:00.000Z',
          description: 'x',
          nearMiss: true,
          severity: 'low',
          agreementId,
        },
        403,
        'breach.not-a-party',
      ],
    ];
    for (const [client, path, body, status, code] of attempts) {
      const reply = await client.post(path, body);
      expect([reply.status, problemCode(reply)]).toEqual([status, code]);
    }
    // The reporter's organisation: its own practitioner, and a party's IG lead at its breach.
    const notReporter = {
      route: 'POST /breaches/:id/assessment',
      resourceId: id,
      reason: 'breach.not-reporter',
      orgIds: [leadOrg],
    };
    expect(await refusals(reporter, leadOrg)).toEqual([
      { route: 'POST /breaches/:id/assessment', resourceId: id, reason: 'auth.forbidden-role' },
      notReporter,
    ]);
    expect(await refusals(p.lead[partyOrg]!, partyOrg)).toEqual([notReporter]);
    // The outsider's own organisation sees its refusals, and nothing that names the breach's reporter.
    const own = await refusals(outsider, outsiderOrg);
    expect(own).toEqual([
      { route: 'POST /breaches/:id/closure', resourceId: id, reason: 'breach.not-found' },
      { route: 'POST /breaches', reason: 'breach.not-a-party' },
    ]);
    expect(JSON.stringify(own)).not.toContain(leadOrg);
  });
});
