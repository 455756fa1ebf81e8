import { share } from '../../documents/support/documents-partnership';
import { buildPair, DocumentsPair, pairMetadata } from '../../documents/support/documents-pair';
import { AnyMatrixRow, Call, expectStatuses, row } from '../matrix';
import type { Reply, World } from '../world';

/**
 * Audit and transfers. Histories are for auditors and IG leads, always cut to the caller's organisation, so
 * asking about another organisation's document answers 200 with nothing in it rather than 403 (the scope is
 * the authorisation); the matrix's org callers are organisation auditors, never platform ones. The raw log
 * and its verification are for auditors only. On the `own` side the document went from the caller's
 * organisation to `other`; on the `other` side from `other` to a third organisation.
 */
interface SideFixture {
  pair: DocumentsPair;
  documentId: string;
  /** A practitioner of the side's sending organisation. */
  userId: string;
}

const fixtures = new WeakMap<World, Partial<Record<'own' | 'other', Promise<SideFixture>>>>();

function fixtureOn(world: World, call: Call): Promise<SideFixture> {
  const bySide = fixtures.get(world) ?? {};
  fixtures.set(world, bySide);
  return (bySide[call.side] ??= (async () => {
    const [sender, recipient] =
      call.side === 'own'
        ? [world.org('own'), world.org('other')]
        : [world.org('other'), await world.newOrganisation('audit-third')];
    const pair = await buildPair(world, sender, recipient);
    const reply = await share(
      world.client(sender.users.practitioner.token),
      pairMetadata(pair),
      'audit matrix',
    );
    if (reply.status !== 201) throw new Error(`matrix share failed: ${JSON.stringify(reply.body)}`);
    return { pair, documentId: reply.body.documentId as string, userId: sender.users.practitioner.userId };
  })());
}

/** Readers of histories: auditors and IG leads; never practitioners or the admin. */
const HISTORY = expectStatuses({ admin: 403, practitioner: 403, anonymous: 401, others: 200 });

/** On the other side, nothing in the caller's scope: an empty page, not a refusal. */
const emptyOnOtherSide = (reply: Reply, call: Call) => {
  if (reply.status !== 200) return;
  if (call.side === 'own') expect(reply.body.items.length).toBeGreaterThan(0);
  else expect(reply.body.items).toEqual([]);
};

export const rows: AnyMatrixRow[] = [
  row({
    method: 'GET',
    path: '/audit/documents/{id}/history',
    prepare: fixtureOn,
    request: (_w, _c, f: SideFixture) => ({ path: `/audit/documents/${f.documentId}/history` }),
    expect: HISTORY,
    check: emptyOnOtherSide,
  }),
  row({
    method: 'GET',
    path: '/audit/documents/{id}/access',
    prepare: fixtureOn,
    request: (_w, _c, f: SideFixture) => ({ path: `/audit/documents/${f.documentId}/access` }),
    // A document the caller's organisation had no part in is not in its scope: not found.
    expect: expectStatuses({
      admin: 403,
      practitioner: 403,
      anonymous: 401,
      'ig-lead:other': 404,
      'auditor:other': 404,
      others: 200,
    }),
  }),
  row({
    method: 'GET',
    path: '/audit/users/{id}/history',
    prepare: fixtureOn,
    request: (_w, _c, f: SideFixture) => ({ path: `/audit/users/${f.userId}/history` }),
    expect: HISTORY,
    check: emptyOnOtherSide,
  }),
  row({
    method: 'GET',
    path: '/audit/organisations/{id}/history',
    request: (world: World, call: Call) => ({
      path: `/audit/organisations/${world.org(call.side).id}/history`,
    }),
    expect: HISTORY,
  }),
  row({
    method: 'GET',
    path: '/audit/agreements/{id}/history',
    prepare: fixtureOn,
    request: (_w, _c, f: SideFixture) => ({ path: `/audit/agreements/${f.pair.agreementId}/history` }),
    expect: HISTORY,
    check: emptyOnOtherSide,
  }),
  {
    method: 'GET',
    path: '/audit/subjects/history',
    request: () => ({ path: '/audit/subjects/history?scheme=nhs-number&value=9434765919' }),
    expect: HISTORY,
  },
  {
    method: 'GET',
    path: '/audit/events',
    // One line: the matrix client parses any *json body whole, and NDJSON of one line is JSON.
    request: () => ({ path: '/audit/events?limit=1' }),
    expect: expectStatuses({ auditor: 200, anonymous: 401, others: 403 }),
  },
  {
    method: 'GET',
    path: '/audit/verify',
    request: () => ({ path: '/audit/verify' }),
    expect: expectStatuses({ auditor: 200, anonymous: 401, others: 403 }),
  },
  {
    method: 'GET',
    path: '/transfers',
    request: () => ({ path: '/transfers?nonUk=true' }),
    expect: HISTORY,
    check: (reply) => {
      if (reply.status === 200) expect(reply.body.summary.nonUkCompleted).toBe(0);
    },
  },
];
