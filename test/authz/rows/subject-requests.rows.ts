import { AnyMatrixRow, Call, expectStatuses, row } from '../matrix';
import type { World } from '../world';

/**
 * Data-subject requests: IG leads only. A request is its organisation's own: on the `own` side it was
 * made by the caller's organisation, on the `other` side by `other`'s IG lead, so the caller reads 404.
 * POST names only a subject identifier, which belongs to no organisation, so both sides may make one.
 */
const access = { kind: 'access', subject: { scheme: 'nhs-number', value: '943 476 5919' }, reason: 'matrix' };

async function requestOn(world: World, call: Call): Promise<string> {
  const lead = world.client(world.org(call.side).users['ig-lead'].token);
  const { body } = await lead.ok('POST', '/subject-requests', 201, { body: access });
  return body.id as string;
}

const OWN_IG_LEAD = expectStatuses({ 'ig-lead:own': 200, 'ig-lead:other': 404, others: 403, anonymous: 401 });

export const rows: AnyMatrixRow[] = [
  {
    method: 'POST',
    path: '/subject-requests',
    request: () => ({ path: '/subject-requests', body: access }),
    expect: expectStatuses({ 'ig-lead': 201, others: 403, anonymous: 401 }),
  },
  row({
    method: 'GET',
    path: '/subject-requests/{id}',
    prepare: requestOn,
    request: (_w, _c, id: string) => ({ path: `/subject-requests/${id}` }),
    expect: OWN_IG_LEAD,
  }),
  row({
    method: 'GET',
    path: '/subject-requests/{id}/report',
    prepare: requestOn,
    request: (_w, _c, id: string) => ({ path: `/subject-requests/${id}/report` }),
    expect: OWN_IG_LEAD,
  }),
];
