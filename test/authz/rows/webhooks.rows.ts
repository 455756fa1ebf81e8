import { AnyMatrixRow, Call, expectStatuses, row } from '../matrix';
import type { World } from '../world';

/**
 * Signed breach webhooks. The IG lead of the organisation, or the admin who onboards it, configures and
 * removes it; only the IG lead reads its deliveries, which name breaches. The URL's host is unresolvable
 * (.invalid) so no delivery ever leaves the test machine.
 */
const URL_ = 'https://hooks.matrix.invalid/accord';
const subject = (world: World, call: Call) => world.org(call.side).id;

/** The subject organisation has a webhook before the call (configured by the admin). */
const configured = async (world: World, call: Call): Promise<string> => {
  const org = subject(world, call);
  await world.asAdmin.ok('PUT', `/organisations/${org}/webhook`, 200, { body: { url: URL_ } });
  return org;
};

const IG_LEAD_OR_ADMIN = (status: number) =>
  expectStatuses({ admin: status, 'ig-lead:own': status, others: 403, anonymous: 401 });

export const rows: AnyMatrixRow[] = [
  {
    method: 'PUT',
    path: '/organisations/{org}/webhook',
    request: (world, call) => ({
      path: `/organisations/${subject(world, call)}/webhook`,
      body: { url: URL_ },
    }),
    expect: IG_LEAD_OR_ADMIN(200),
  },
  row({
    method: 'GET',
    path: '/organisations/{org}/webhook',
    prepare: configured,
    request: (_w, _c, org: string) => ({ path: `/organisations/${org}/webhook` }),
    expect: IG_LEAD_OR_ADMIN(200),
  }),
  row({
    method: 'DELETE',
    path: '/organisations/{org}/webhook',
    prepare: configured,
    request: (_w, _c, org: string) => ({ path: `/organisations/${org}/webhook` }),
    expect: IG_LEAD_OR_ADMIN(204),
  }),
  {
    method: 'GET',
    path: '/organisations/{org}/webhook/deliveries',
    request: (world, call) => ({ path: `/organisations/${subject(world, call)}/webhook/deliveries` }),
    expect: expectStatuses({ 'ig-lead:own': 200, others: 403, anonymous: 401 }),
  },
];
