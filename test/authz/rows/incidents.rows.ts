import { randomUUID } from 'node:crypto';
import { incidentDecider, incidentStreamId } from '@accord/domain';
import { EVENT_STORE, EventStore } from '@accord/event-store';
import { ReadYourWrites, runCommand } from '@accord/platform';
import { AnyMatrixRow, Call, expectStatuses, row } from '../matrix';
import type { World } from '../world';

/**
 * Security incidents. Each call gets a fresh incident involving only the call's side, recorded through the
 * incident decider as the detector records one (detection itself is proved in test/incidents): on the
 * `other` side the caller's organisation has no part in it and reads 404.
 */
async function incidentOn(world: World, call: Call): Promise<string> {
  const store = world.api.app.get<EventStore>(EVENT_STORE);
  const id = randomUUID();
  const orgId = world.org(call.side).id;
  const at = new Date().toISOString();
  const outcome = await runCommand(
    store,
    incidentStreamId(id),
    incidentDecider,
    {
      type: 'RecordIncident',
      data: {
        kind: 'non-uk-access',
        severity: 'high',
        summary: 'matrix',
        userId: world.org(call.side).users.practitioner.userId,
        orgId,
        orgIds: [orgId],
        documentIds: [],
        evidence: [randomUUID()],
        detectedAt: at,
      },
      metadata: { now: new Date(at) },
    },
    { meta: { occurredAt: at, actor: { system: 'detector' }, correlationId: randomUUID() } },
  );
  await world.api.app.get(ReadYourWrites).settle(outcome.position);
  return id;
}

const INVOLVED_IG_LEAD = (status: number) =>
  expectStatuses({ 'ig-lead:own': status, 'ig-lead:other': 404, others: 403, anonymous: 401 });

export const rows: AnyMatrixRow[] = [
  {
    method: 'GET',
    path: '/incidents',
    request: () => ({ path: '/incidents?status=open' }),
    expect: expectStatuses({ admin: 200, 'ig-lead': 200, auditor: 200, others: 403, anonymous: 401 }),
  },
  row({
    method: 'GET',
    path: '/incidents/{id}',
    prepare: incidentOn,
    request: (_w, _c, id: string) => ({ path: `/incidents/${id}` }),
    expect: expectStatuses({
      admin: 200,
      'ig-lead:own': 200,
      'ig-lead:other': 404,
      auditor: 200,
      others: 403,
      anonymous: 401,
    }),
  }),
  row({
    method: 'POST',
    path: '/incidents/{id}/promote',
    prepare: incidentOn,
    request: (_w, _c, id: string) => ({ path: `/incidents/${id}/promote`, body: { nearMiss: true } }),
    expect: INVOLVED_IG_LEAD(201),
  }),
  row({
    method: 'POST',
    path: '/incidents/{id}/dismiss',
    prepare: incidentOn,
    request: (_w, _c, id: string) => ({ path: `/incidents/${id}/dismiss`, body: { reason: 'matrix' } }),
    expect: INVOLVED_IG_LEAD(201),
  }),
];
