import { openReadDb } from '../read-db';
import type { ReadDb } from '../projection';
import { rebuildReadModels } from '../rebuild';
import { dumpTables, newEvent, tempStore } from '../testing/projection-test-kit';
import { agreementsProjection } from './agreements.projection';
import { BREACH_TABLES, breachesProjection } from './breaches.projection';
import { findBreach, isBreachInvolved, listBreachRecords } from './breaches.queries';
import { NOTIFICATION_TABLES, notificationsProjection } from './notifications.projection';
import { inboxFor } from './notifications.queries';

const DISCOVERED = '2024-05-01T09:00:00.000Z';
const REPORTED = {
  reportedBy: 'council',
  reportedAt: '2024-05-01T10:00:00.000Z',
  documentIds: [],
  discoveredAt: DISCOVERED,
  description: 'Letter posted to a former address',
  nearMiss: false,
  severity: 'medium',
  dataCategories: ['address'],
  approxSubjects: 1,
};
const at = (occurredAt: string, event: ReturnType<typeof newEvent>) => ({
  ...event,
  meta: { ...event.meta, occurredAt },
});

describe('breach read model and its inbox entries', () => {
  let kit: ReturnType<typeof tempStore>;
  let db: ReadDb;
  const projections = [agreementsProjection, notificationsProjection, breachesProjection];
  const kinds = (org: string, now: string) =>
    inboxFor(db, org, new Date(now), { audiences: ['ig-lead'], limit: 50 }).map((i) => i.kind);

  beforeEach(async () => {
    kit = tempStore();
    await kit.store.append(
      'breach-b1',
      [
        at(REPORTED.reportedAt, newEvent('BreachReported', REPORTED)),
        at(
          REPORTED.reportedAt,
          newEvent('PartnersNotified', {
            orgIds: ['council', 'police'],
            reportedBy: 'council',
            severity: 'medium',
            nearMiss: false,
          }),
        ),
      ],
      'no-stream',
    );
    db = openReadDb(kit.readDb);
    await rebuildReadModels({ store: kit.store, db, projections });
  });
  afterEach(async () => {
    db.close();
    await kit.cleanup();
  });

  it('the reporter and every organisation notified read the breach; no one else does', () => {
    expect(listBreachRecords(db, 'police').map((r) => r.id)).toEqual(['b1']);
    expect(isBreachInvolved(db, 'b1', 'council')).toBe(true);
    expect(listBreachRecords(db, 'fire')).toEqual([]);
    expect(findBreach(db, 'b1')?.state.status).toBe('reported');
  });

  it('the notice never carries the description; reminders fall due at 48 and 72 hours', () => {
    const inbox = inboxFor(db, 'police', new Date('2024-05-03T08:59:59.999Z'), {
      audiences: ['ig-lead'],
      limit: 50,
    });
    expect(inbox.map((i) => i.kind)).toEqual(['breach-reported']);
    expect(JSON.stringify(inbox)).not.toContain('former address');
    expect(kinds('police', '2024-05-03T09:00:00.000Z')).toEqual([
      'breach-ico-due-in-24-hours',
      'breach-reported',
    ]);
    // The deadline itself is still on time, as the breach list's `overdue` says (one rule: isOverdueAt).
    expect(kinds('police', '2024-05-04T09:00:00.000Z')[0]).toBe('breach-ico-due-in-24-hours');
    expect(kinds('police', '2024-05-04T09:00:00.001Z')[0]).toBe('breach-ico-overdue');
    expect(
      inboxFor(db, 'police', new Date('2024-05-04T09:00:00.000Z'), {
        audiences: ['organisation'],
        limit: 50,
      }),
    ).toEqual([]);
  });

  it('an unreportable assessment takes the reminders away', async () => {
    await kit.store.append(
      'breach-b1',
      [
        newEvent('BreachAssessed', {
          icoReportable: false,
          rationale: 'r',
          assessedAt: DISCOVERED,
          icoDeadline: '2024-05-04T09:00:00.000Z',
        }),
      ],
      1,
    );
    await rebuildReadModels({ store: kit.store, db, projections });
    expect(kinds('council', '2024-05-09T00:00:00.000Z')).toEqual(['breach-reported']);
  });

  it('containment actions are listed on the breach in the order recorded', async () => {
    const suspended = {
      action: 'user-suspended',
      orgId: 'police',
      userId: 'u-1',
      reason: 'forwarded the letter',
      recordedAt: '2024-05-01T11:00:00.000Z',
    };
    const revoked = {
      action: 'key-revoked',
      orgId: 'council',
      fingerprint: 'ab'.repeat(20),
      reason: 'key on the lost laptop',
      recordedAt: '2024-05-01T12:00:00.000Z',
    };
    await kit.store.append(
      'breach-b1',
      [newEvent('ContainmentActionRecorded', suspended), newEvent('ContainmentActionRecorded', revoked)],
      1,
    );
    await rebuildReadModels({ store: kit.store, db, projections });
    expect(findBreach(db, 'b1')?.state.containment).toEqual([suspended, revoked]);
    // A containment is no news for the inbox: the notice was the report.
    expect(kinds('police', '2024-05-01T13:00:00.000Z')).toEqual(['breach-reported']);
  });

  it('a rebuild makes the same rows', async () => {
    const tables = [...BREACH_TABLES, ...NOTIFICATION_TABLES];
    const before = dumpTables(db, tables);
    await rebuildReadModels({ store: kit.store, db, projections });
    expect(dumpTables(db, tables)).toEqual(before);
  });
});
