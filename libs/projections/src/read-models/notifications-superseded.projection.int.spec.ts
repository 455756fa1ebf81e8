import { openReadDb } from '../read-db';
import type { ReadDb } from '../projection';
import { rebuildReadModels } from '../rebuild';
import { newEvent, tempStore } from '../testing/projection-test-kit';
import { agreementsProjection } from './agreements.projection';
import { notificationsProjection } from './notifications.projection';
import { inboxFor } from './notifications.queries';

/** UK GDPR Art 19: each recipient of a rectified document hears of the correction, and only they do. */
describe('notifications: a superseded document', () => {
  let kit: ReturnType<typeof tempStore>;
  let db: ReadDb;
  const inbox = (org: string) =>
    inboxFor(db, org, new Date('2030-01-01T00:00:00.000Z'), { audiences: ['organisation'], limit: 50 });

  beforeAll(async () => {
    kit = tempStore();
    await kit.store.append(
      'document-d-old',
      [
        newEvent('DocumentSuperseded', {
          supersededBy: 'd-new',
          requestId: 'r1',
          agreementId: 'isa-unknown',
          recipients: ['police', 'trust'],
        }),
      ],
      'no-stream',
    );
    db = openReadDb(kit.readDb);
    await rebuildReadModels({
      store: kit.store,
      db,
      projections: [agreementsProjection, notificationsProjection],
    });
  });
  afterAll(async () => {
    db.close();
    await kit.cleanup();
  });

  it('every recipient organisation finds a document-superseded entry naming both documents', () => {
    for (const org of ['police', 'trust']) {
      const [entry] = inbox(org);
      expect(entry).toMatchObject({
        kind: 'document-superseded',
        audience: 'organisation',
        agreementId: 'isa-unknown',
      });
      expect(entry!.message).toContain('d-old');
      expect(entry!.message).toContain('d-new');
    }
  });

  it('the sender and outsiders get nothing', () => {
    expect(inbox('council')).toEqual([]);
  });
});
