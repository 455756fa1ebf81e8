import { AnyMatrixRow, Call, CallerKey, everyone, expectStatuses, row } from '../matrix';
import type { Reply, World, WorldOrg } from '../world';

/**
 * Agreements, the register and the inbox. An agreement on the `own` side is one the caller's organisation
 * is a party to (led by `other`, so the own IG lead acts only as a party); on the `other` side it is
 * between `other` and a third organisation, so the caller's organisation has no part in it.
 */
const IG_LEAD_OF_A_PARTY = (status: number) =>
  expectStatuses({ 'ig-lead:own': status, others: 403, anonymous: 401 });

/** A third organisation per world, made once. */
const thirds = new WeakMap<World, Promise<WorldOrg>>();
const third = (world: World): Promise<WorldOrg> => {
  let org = thirds.get(world);
  if (!org) thirds.set(world, (org = world.newOrganisation('third')));
  return org;
};

const terms = (leadOrg: string, parties: string[]) => ({
  title: 'Matrix agreement',
  purposes: ['checking who may do what'],
  tier: 1,
  category: 'Safer Community',
  leadOrg,
  parties,
  lawfulBases: ['uk-gdpr-art6-1-e'],
  dataCategories: ['name'],
  retentionPeriod: 'P1Y',
});

/** A fresh agreement on the call's side, led by `other`; `active` has every party's signature. */
async function agreementOn(
  world: World,
  call: Call,
  stage: 'draft' | 'active' | 'suspended' = 'draft',
): Promise<string> {
  const lead = world.org('other');
  const counterpart = call.side === 'own' ? world.org('own') : await third(world);
  const asLead = world.client(lead.users['ig-lead'].token);
  const { body } = await asLead.ok('POST', '/agreements', 201, {
    body: terms(lead.id, [lead.id, counterpart.id]),
  });
  const path = `/agreements/${body.id}`;
  if (stage === 'draft') return body.id;
  for (const org of [lead, counterpart]) {
    await world.client(org.users['ig-lead'].token).ok('POST', `${path}/signatures`, 201, {
      body: { signatory: 'Matrix Signatory', position: 'Caldicott Guardian' },
    });
  }
  if (stage === 'suspended')
    await asLead.ok('POST', `${path}/suspension`, 201, { body: { reason: 'matrix' } });
  return body.id;
}

/** Read-only rows share one agreement per world and side. */
const shared = new WeakMap<World, Partial<Record<'own' | 'other', Promise<string>>>>();
function sharedAgreement(world: World, call: Call): Promise<string> {
  const bySide = shared.get(world) ?? {};
  shared.set(world, bySide);
  return (bySide[call.side] ??= agreementOn(world, call, 'active'));
}

/** Acting on another partnership's agreement is refused by the domain, naming why. */
const notAPartyWhenOther = (reply: Reply, call: Call): void => {
  if (call.key === 'ig-lead:other') expect(reply.body.type).toMatch(/\/agreement\.not-a-party$/);
};

const tomorrow = (): string => new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);

const action = (
  method: 'POST' | 'DELETE',
  suffix: string,
  stage: 'draft' | 'active' | 'suspended',
  body: () => unknown,
  status: number,
): AnyMatrixRow =>
  row({
    method,
    path: `/agreements/{id}/${suffix}`,
    prepare: (world, call) => agreementOn(world, call, stage),
    request: (_w, _c, id: string) => ({ path: `/agreements/${id}/${suffix}`, body: body() }),
    expect: IG_LEAD_OF_A_PARTY(status),
    check: notAPartyWhenOther,
  });

const READERS: Partial<Record<CallerKey | 'others', number>> = { admin: 403, anonymous: 401 };

export const rows: AnyMatrixRow[] = [
  row({
    method: 'POST',
    path: '/agreements',
    // The side's organisation leads: only the own IG lead drafts for its own organisation.
    request: (world, call) => {
      const lead = world.org(call.side).id;
      const counterpart = world.org(call.side === 'own' ? 'other' : 'own').id;
      return { path: '/agreements', body: terms(lead, [lead, counterpart]) };
    },
    expect: IG_LEAD_OF_A_PARTY(201),
    check: (reply, call) => {
      if (call.key === 'ig-lead:other') expect(reply.body.type).toMatch(/\/auth\.other-organisation$/);
    },
  }),
  action(
    'POST',
    'signatures',
    'draft',
    () => ({ signatory: 'Matrix Signatory', position: 'Caldicott Guardian' }),
    201,
  ),
  action(
    'POST',
    'amendments',
    'draft',
    () => ({ changes: { title: 'Matrix agreement v2' }, reasonForChange: 'matrix' }),
    201,
  ),
  action('POST', 'reviews', 'active', () => ({}), 201),
  action('POST', 'suspension', 'active', () => ({ reason: 'matrix' }), 201),
  action('DELETE', 'suspension', 'suspended', () => ({ reason: 'matrix' }), 200),
  action('POST', 'termination', 'draft', () => ({ effectiveAt: tomorrow() }), 201),
  // The own IG lead is a party but not the lead: its notice is a withdrawal (docs/architecture.md §28).
  action('POST', 'withdrawal', 'active', () => ({ effectiveAt: tomorrow() }), 201),
  row({
    method: 'POST',
    path: '/agreements/{id}/joining',
    // An agreement led by a third organisation with `other`; the own organisation asks to join it. Only the
    // lead or the joiner proposes a joining version, so `other`'s IG lead (a party) is refused.
    // On the other side the joiner is a third organisation, so the caller is neither lead nor joiner.
    prepare: async (world, call) => {
      const lead = await third(world);
      const asLead = world.client(lead.users['ig-lead'].token);
      const { body } = await asLead.ok('POST', '/agreements', 201, {
        body: terms(lead.id, [lead.id, world.org('other').id]),
      });
      const joiner = call.side === 'own' ? world.org('own').id : lead.id.replace(/^third/, 'absent');
      return `${body.id as string} ${joiner}`;
    },
    request: (_w, _c, prepared: string) => {
      const [id, joiner] = prepared.split(' ');
      return { path: `/agreements/${id}/joining`, body: { orgId: joiner } };
    },
    expect: expectStatuses({ 'ig-lead:own': 201, others: 403, anonymous: 401 }),
  }),
  row({
    method: 'POST',
    path: '/agreements/import',
    // As a draft: only the own IG lead brings in an agreement its own organisation leads.
    request: (world, call) => {
      const lead = world.org(call.side).id;
      const counterpart = world.org(call.side === 'own' ? 'other' : 'own').id;
      return {
        path: '/agreements/import',
        body: { source: 'matrix', terms: terms(lead, [lead, counterpart]) },
      };
    },
    expect: IG_LEAD_OF_A_PARTY(201),
  }),
  {
    method: 'GET',
    path: '/agreements',
    request: () => ({ path: '/agreements' }),
    // Users of an organisation see their own partnerships; auditors all; the admin none.
    expect: expectStatuses({ ...READERS, others: 200 }),
  },
  row({
    method: 'GET',
    path: '/agreements/{id}',
    prepare: sharedAgreement,
    request: (_w, _c, id: string) => ({ path: `/agreements/${id}` }),
    // Another partnership's agreement reads as not found, except to auditors.
    expect: expectStatuses({
      ...READERS,
      'auditor:other': 200,
      'ig-lead:other': 404,
      'practitioner:other': 404,
      others: 200,
    }),
  }),
  { method: 'GET', path: '/register', request: () => ({ path: '/register' }), expect: everyone(200) },
  {
    method: 'GET',
    path: '/notifications',
    request: () => ({ path: '/notifications' }),
    expect: expectStatuses({ ...READERS, auditor: 403, others: 200 }),
  },
  {
    method: 'GET',
    path: '/inbox',
    request: () => ({ path: '/inbox' }),
    // The caller's own inbox: any user who may receive a document; admins and auditors receive none.
    expect: expectStatuses({ ...READERS, auditor: 403, others: 200 }),
  },
];
