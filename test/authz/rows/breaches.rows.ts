import { AnyMatrixRow, Call, expectStatuses, row } from '../matrix';
import type { World, WorldOrg } from '../world';

/**
 * Breaches. On the `own` side the breach was reported by the caller's organisation (or, for POST /breaches,
 * names an agreement it is a party to); on the `other` side it was reported by `other` under no agreement
 * (or names an agreement between `other` and a third organisation), so the caller's organisation has no
 * part in it and reads 404 (403 breach.not-a-party when reporting).
 */
const thirds = new WeakMap<World, Promise<WorldOrg>>();
const third = (world: World): Promise<WorldOrg> => {
  let org = thirds.get(world);
  if (!org) thirds.set(world, (org = world.newOrganisation('third')));
  return org;
};

const agreements = new WeakMap<World, Partial<Record<'own' | 'other', Promise<string>>>>();
function agreementOn(world: World, call: Call): Promise<string> {
  const bySide = agreements.get(world) ?? {};
  agreements.set(world, bySide);
  return (bySide[call.side] ??= (async () => {
    const lead = world.org('other');
    const counterpart = call.side === 'own' ? world.org('own') : await third(world);
    const { body } = await world.client(lead.users['ig-lead'].token).ok('POST', '/agreements', 201, {
      body: {
        title: 'Matrix breach agreement',
        purposes: ['checking who may do what'],
        tier: 1,
        category: 'Safer Community',
        leadOrg: lead.id,
        parties: [lead.id, counterpart.id],
        lawfulBases: ['uk-gdpr-art6-1-e'],
        dataCategories: ['name'],
        retentionPeriod: 'P1Y',
      },
    });
    return body.id as string;
  })());
}

const report = {
  discoveredAt: '2024-01-01T09:00:00.000Z',
  description: 'matrix',
  nearMiss: false,
  severity: 'low',
};

/** A fresh breach reported by the call's side, optionally assessed. */
async function breachOn(world: World, call: Call, assessed?: { icoReportable: boolean }): Promise<string> {
  const reporter = world.client(world.org(call.side).users['ig-lead'].token);
  const { body } = await reporter.ok('POST', '/breaches', 201, { body: report });
  if (assessed)
    await reporter.ok('POST', `/breaches/${body.id}/assessment`, 201, {
      body: { ...assessed, rationale: 'matrix' },
    });
  return body.id as string;
}

const REPORTER_IG_LEAD = (status: number) =>
  expectStatuses({ 'ig-lead:own': status, 'ig-lead:other': 404, others: 403, anonymous: 401 });

export const rows: AnyMatrixRow[] = [
  row({
    method: 'POST',
    path: '/breaches',
    prepare: agreementOn,
    request: (_w, _c, agreementId: string) => ({ path: '/breaches', body: { ...report, agreementId } }),
    expect: expectStatuses({
      'ig-lead:own': 201,
      'practitioner:own': 201,
      'ig-lead:other': 403,
      'practitioner:other': 403,
      others: 403,
      anonymous: 401,
    }),
  }),
  {
    method: 'GET',
    path: '/breaches',
    request: () => ({ path: '/breaches?overdue=true' }),
    expect: expectStatuses({ 'ig-lead': 200, practitioner: 200, others: 403, anonymous: 401 }),
  },
  row({
    method: 'GET',
    path: '/breaches/{id}',
    prepare: (world, call) => breachOn(world, call),
    request: (_w, _c, id: string) => ({ path: `/breaches/${id}` }),
    expect: expectStatuses({
      'ig-lead:own': 200,
      'practitioner:own': 200,
      'ig-lead:other': 404,
      'practitioner:other': 404,
      others: 403,
      anonymous: 401,
    }),
  }),
  row({
    method: 'POST',
    path: '/breaches/{id}/assessment',
    prepare: (world, call) => breachOn(world, call),
    request: (_w, _c, id: string) => ({
      path: `/breaches/${id}/assessment`,
      body: { icoReportable: true, rationale: 'matrix' },
    }),
    expect: REPORTER_IG_LEAD(201),
  }),
  row({
    method: 'POST',
    path: '/breaches/{id}/ico-notification',
    prepare: (world, call) => breachOn(world, call, { icoReportable: true }),
    request: (_w, _c, id: string) => ({
      path: `/breaches/${id}/ico-notification`,
      body: { reference: 'ICO-1' },
    }),
    expect: REPORTER_IG_LEAD(201),
  }),
  row({
    method: 'POST',
    path: '/breaches/{id}/subject-notification',
    prepare: (world, call) => breachOn(world, call, { icoReportable: true }),
    request: (_w, _c, id: string) => ({ path: `/breaches/${id}/subject-notification`, body: {} }),
    expect: REPORTER_IG_LEAD(201),
  }),
  row({
    method: 'POST',
    path: '/breaches/{id}/closure',
    prepare: (world, call) => breachOn(world, call, { icoReportable: false }),
    request: (_w, _c, id: string) => ({
      path: `/breaches/${id}/closure`,
      body: { outcome: 'contained', lessons: 'matrix' },
    }),
    expect: REPORTER_IG_LEAD(201),
  }),
  row({
    method: 'POST',
    path: '/breaches/{id}/containment',
    // A fresh practitioner of the caller's organisation each call: suspending a shared actor would break
    // other rows. On the `other` side the caller's organisation is not involved in the breach: 404.
    prepare: async (world, call) => ({
      id: await breachOn(world, call),
      userId: (await world.enrol(world.orgs.own.id, 'practitioner')).userId,
    }),
    request: (_w, _c, { id, userId }: { id: string; userId: string }) => ({
      path: `/breaches/${id}/containment`,
      body: { action: 'suspend-user', userId, reason: 'matrix' },
    }),
    expect: REPORTER_IG_LEAD(201),
  }),
  row({
    method: 'POST',
    path: '/breaches/{id}/containment',
    variant: 'a user of another organisation',
    prepare: async (world, call) => ({
      id: await breachOn(world, call),
      userId: (await world.enrol(world.orgs.other.id, 'practitioner')).userId,
    }),
    request: (_w, _c, { id, userId }: { id: string; userId: string }) => ({
      path: `/breaches/${id}/containment`,
      body: { action: 'suspend-user', userId, reason: 'matrix' },
    }),
    expect: REPORTER_IG_LEAD(403),
    check: (reply, call) => {
      if (call.key === 'ig-lead:own') expect(reply.body.type).toMatch(/auth\.other-organisation$/);
    },
  }),
];
