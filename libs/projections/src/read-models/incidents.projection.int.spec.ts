import { DEFAULT_DETECTION_THRESHOLDS, incidentStreamId } from '@accord/domain';
import type { NewEvent } from '@accord/event-store';
import type { ReadDb } from '../projection';
import { openReadDb } from '../read-db';
import { rebuildReadModels } from '../rebuild';
import { dumpTables, newEvent, tempStore } from '../testing/projection-test-kit';
import {
  INCIDENT_DETECTOR_TABLES,
  incidentDetectorProjection,
  incidentIdOf,
  pendingIncidents,
} from './incident-detector.projection';
import { incidentsProjection } from './incidents.projection';
import { findIncident, listIncidentRecords } from './incidents.queries';

const T0 = Date.parse('2026-03-02T09:00:00.000Z');
const user = { userId: 'u1', orgId: 'outsider', role: 'practitioner' };

/** An event by `user` at T0 + `seconds`, from a client in `country`. */
function byUser(type: string, data: NewEvent['data'], seconds: number, country = 'GB'): NewEvent {
  const e = newEvent(type, data);
  return {
    ...e,
    meta: {
      ...e.meta,
      occurredAt: new Date(T0 + seconds * 1000).toISOString(),
      actor: user,
      client: { ip: '203.0.113.9', country },
    },
  };
}

describe('the incident detector and the incidents read model', () => {
  let kit: ReturnType<typeof tempStore>;
  let db: ReadDb;
  const detector = () => incidentDetectorProjection({ ...DEFAULT_DETECTION_THRESHOLDS, denials: 3 });

  beforeEach(async () => {
    kit = tempStore();
    await kit.store.append(
      'document-d1',
      [
        newEvent('DocumentShared', { agreementId: 'a1', senderOrg: 'council', recipients: ['police'] }),
        ...[1, 2, 3].map((s) =>
          byUser('AccessDenied', { reason: 'open.not-a-recipient', orgId: 'outsider' }, s),
        ),
        byUser('TransferBlocked', { reason: 'transfer.client-outside-uk', destination: 'FR' }, 4, 'FR'),
      ],
      'no-stream',
    );
    db = openReadDb(kit.readDb);
  });
  afterEach(async () => {
    db.close();
    await kit.cleanup();
  });

  it('queues each incident once, under an id derived from its rule and evidence, with every organisation involved', async () => {
    await rebuildReadModels({ store: kit.store, db, projections: [detector()] });
    const pending = pendingIncidents(db);
    expect(pending.map((p) => p.data.kind)).toEqual(['denials-burst', 'non-uk-access']);
    const denials = (await kit.store.readStream('document-d1')).filter((e) => e.type === 'AccessDenied');
    expect(pending[0]).toMatchObject({
      id: incidentIdOf('denials-burst', denials[0]!.eventId),
      data: { evidence: denials.map((e) => e.eventId), orgIds: ['outsider', 'council', 'police'] },
      meta: { occurredAt: denials[2]!.meta.occurredAt, causationId: denials[2]!.eventId },
    });
  });

  it('a replay from zero queues exactly the same incidents (same ids, same bytes)', async () => {
    await rebuildReadModels({ store: kit.store, db, projections: [detector()] });
    const first = dumpTables(db, INCIDENT_DETECTOR_TABLES);
    await rebuildReadModels({ store: kit.store, db, projections: [detector()] });
    expect(dumpTables(db, INCIDENT_DETECTOR_TABLES)).toEqual(first);
  });

  it("an incident's own event clears it from the outbox and opens it in the read model, for each involved organisation", async () => {
    await rebuildReadModels({ store: kit.store, db, projections: [detector()] });
    const [burst] = pendingIncidents(db);
    await kit.store.append(
      incidentStreamId(burst!.id),
      [
        {
          ...newEvent('SecurityIncidentDetected', burst!.data),
          meta: { ...burst!.meta, actor: { system: 'detector' } },
        },
        newEvent('IncidentPromoted', { breachId: 'b1', orgId: 'council' }),
      ],
      'no-stream',
    );
    await rebuildReadModels({ store: kit.store, db, projections: [detector(), incidentsProjection] });
    expect(pendingIncidents(db).map((p) => p.data.kind)).toEqual(['non-uk-access']);
    expect(findIncident(db, burst!.id)?.state).toMatchObject({ status: 'promoted', breachId: 'b1' });
    expect(listIncidentRecords(db, { orgId: 'police' }).map((r) => r.id)).toEqual([burst!.id]);
    expect(listIncidentRecords(db, { orgId: 'trust' })).toEqual([]);
    expect(listIncidentRecords(db, { status: 'open' })).toEqual([]);
  });
});
