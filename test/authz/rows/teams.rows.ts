import { anyAuthenticated, AnyMatrixRow, Call, expectStatuses, row } from '../matrix';
import { uniqueId, World } from '../world';

/** Teams and the default receiving team (docs/architecture.md §24): the organisation's own IG lead manages. */
const OWN_IG_LEAD_ONLY = (status: number) =>
  expectStatuses({ 'ig-lead:own': status, others: 403, anonymous: 401 });

const subject = (world: World, call: Call) => world.org(call.side).id;

/** A fresh team of the subject organisation, made by its IG lead. */
async function freshTeam(world: World, call: Call): Promise<string> {
  const lead = world.client(world.org(call.side).users['ig-lead'].token);
  const { body } = await lead.ok('POST', `/organisations/${subject(world, call)}/teams`, 201, {
    body: { name: uniqueId('team') },
  });
  return body.id as string;
}

export const rows: AnyMatrixRow[] = [
  {
    method: 'GET',
    path: '/organisations/{org}/teams',
    request: (w, c) => ({ path: `/organisations/${subject(w, c)}/teams` }),
    expect: anyAuthenticated(200),
  },
  row({
    method: 'POST',
    path: '/organisations/{org}/teams',
    prepare: async () => uniqueId('team'),
    request: (w, c, name: string) => ({ path: `/organisations/${subject(w, c)}/teams`, body: { name } }),
    expect: OWN_IG_LEAD_ONLY(201),
  }),
  row({
    method: 'PUT',
    path: '/organisations/{org}/teams/{teamId}/members/{userId}',
    prepare: freshTeam,
    request: (w, c, teamId: string) => ({
      path: `/organisations/${subject(w, c)}/teams/${teamId}/members/${w.org(c.side).users.practitioner.userId}`,
    }),
    expect: OWN_IG_LEAD_ONLY(200),
  }),
  row({
    method: 'DELETE',
    path: '/organisations/{org}/teams/{teamId}/members/{userId}',
    prepare: freshTeam,
    request: (w, c, teamId: string) => ({
      path: `/organisations/${subject(w, c)}/teams/${teamId}/members/${w.org(c.side).users.practitioner.userId}`,
    }),
    expect: OWN_IG_LEAD_ONLY(200),
  }),
  row({
    method: 'PUT',
    path: '/organisations/{org}/default-team',
    prepare: freshTeam,
    request: (w, c, teamId: string) => ({
      path: `/organisations/${subject(w, c)}/default-team`,
      body: { teamId },
    }),
    expect: OWN_IG_LEAD_ONLY(200),
  }),
];
