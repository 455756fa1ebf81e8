import type { NewEvent } from '@accord/event-store';
import { Projector } from '../projector';
import type { ReadDb } from '../projection';
import { openReadDb } from '../read-db';
import { actorEvent as ev, sharedEvent as shared, tempStore } from '../testing/projection-test-kit';
import { auditProjection } from './audit.projection';
import { transfersProjection } from './transfers.projection';
import { listTransfers, TransferQuery } from './transfers.queries';

const REGIONS = ['uk', 'eu-west-2'];

describe('transfers: every movement of a payload with its UK-only verdict', () => {
  let env: ReturnType<typeof tempStore>;
  let projector: Projector;
  let db: ReadDb;

  beforeEach(async () => {
    env = tempStore();
    projector = new Projector({
      store: env.store,
      db: env.readDb,
      projections: [auditProjection, transfersProjection],
    });
    await projector.start();
    db = openReadDb(env.readDb);
    await append('organisation-council', ev('OrganisationRegistered', { jurisdiction: 'GB-ENG' }));
    await append('organisation-police', ev('OrganisationRegistered', { jurisdiction: 'GB-WLS' }));
    await append('organisation-paris', ev('OrganisationRegistered', { jurisdiction: 'FR' }));
  });
  afterEach(async () => {
    await projector.stop();
    db.close();
    await env.cleanup();
  });

  async function append(streamId: string, ...events: NewEvent[]): Promise<number> {
    const { position } = await env.store.append(streamId, events, 'any');
    await projector.waitFor(position, 10_000);
    return position;
  }

  const query = (overrides: Partial<TransferQuery> = {}) =>
    listTransfers(db, {
      ukStorageRegions: REGIONS,
      nonUkOnly: false,
      scopeOrgId: null,
      after: [0, -1],
      upTo: Number.MAX_SAFE_INTEGER,
      limit: 100,
      ...overrides,
    });

  it('a UK share and a UK open are uk; opening from France and a blocked share are non-UK, none completed', async () => {
    await append('document-d1', shared('council', ['police']));
    await append(
      'document-d1',
      ev('DocumentAccessed', { orgId: 'police' }, { userId: 'p1', orgId: 'police' }, 'GB'),
    );
    await append(
      'document-d1',
      ev(
        'TransferBlocked',
        { reason: 'transfer.client-outside-uk', destination: 'FR', orgId: 'police' },
        { userId: 'p1', orgId: 'police' },
        'FR',
      ),
    );
    await append(
      'document-refused',
      ev(
        'TransferBlocked',
        { reason: 'transfer.recipient-outside-uk', destination: 'FR', orgId: 'council', agreementId: 'ag' },
        { userId: 'c1', orgId: 'council' },
        'GB',
      ),
    );
    const all = query();
    expect(all.items.map((t) => [t.kind, t.verdict, t.completed])).toEqual([
      ['share', 'uk', true],
      ['access', 'uk', true],
      ['blocked', 'non-uk', false],
      ['blocked', 'non-uk', false],
    ]);
    expect(all.items[0]).toMatchObject({
      from: { orgId: 'council', jurisdiction: 'GB-ENG', storageRegion: 'uk' },
      to: { orgId: 'police', jurisdiction: 'GB-WLS' },
    });
    expect(all.items[2]).toMatchObject({
      reason: 'transfer.client-outside-uk',
      destination: 'FR',
      nonUkBecause: ['transfer.client-outside-uk'],
    });
    expect(all.summary).toEqual({ checked: 4, nonUkAttempted: 2, nonUkCompleted: 0, destroyed: 0 });
    expect(query({ nonUkOnly: true }).items.map((t) => t.kind)).toEqual(['blocked', 'blocked']);
  });

  it('names each non-UK leg of a movement that went ahead, and counts it as completed', async () => {
    // Neither can happen through the API (the share policy refuses them); hand-appended to prove the check.
    await append('document-d2', shared('council', ['police', 'paris'], 'us-east-1'));
    await append(
      'document-d2',
      ev('DocumentAccessed', { orgId: 'police' }, { userId: 'p1', orgId: 'police' }, 'US'),
    );
    const { items, summary } = query({ nonUkOnly: true });
    expect(items.map((t) => [t.kind, t.to.orgId, t.nonUkBecause])).toEqual([
      ['share', 'police', ['storage']],
      ['share', 'paris', ['recipient', 'storage']],
      ['access', 'police', ['storage', 'client']],
    ]);
    expect(summary).toEqual({ checked: 3, nonUkAttempted: 3, nonUkCompleted: 3, destroyed: 0 });
    // The allow-list is configuration: the same facts judged against another list.
    expect(query({ ukStorageRegions: ['us-east-1'] }).summary.nonUkAttempted).toBe(2);
  });

  it('an organisation sees the movements of documents it sent or received, or that it attempted', async () => {
    await append('document-d1', shared('council', ['police']));
    await append(
      'document-x',
      ev(
        'TransferBlocked',
        { reason: 'transfer.client-outside-uk', destination: 'FR', orgId: 'paris' },
        { userId: 'x1', orgId: 'paris' },
        'FR',
      ),
    );
    expect(query({ scopeOrgId: 'police' }).items.map((t) => t.documentId)).toEqual(['d1']);
    expect(query({ scopeOrgId: 'paris' }).items.map((t) => t.documentId)).toEqual(['x']);
    expect(query({ scopeOrgId: 'paris' }).summary).toEqual({
      checked: 1,
      nonUkAttempted: 1,
      nonUkCompleted: 0,
      destroyed: 0,
    });
  });

  it('shows each destruction where the payload lay, by retention or erasure, outside the movement counts', async () => {
    await append('document-d1', shared('council', ['police'], 'eu-west-2'));
    await append('document-d2', shared('council', ['police']));
    await append(
      'document-d1',
      ev('RetentionExpired', { retainUntil: 'x' }),
      ev('PayloadDestroyed', { objectKey: 'k1' }),
    );
    await append(
      'document-d2',
      ev('DocumentErased', { requestId: 'r' }),
      ev('PayloadDestroyed', { objectKey: 'k2' }),
    );
    const page = query({});
    const destroyed = page.items.filter((t) => t.kind === 'destroyed');
    expect(
      destroyed.map((t) => [t.documentId, t.reason, t.from.storageRegion, t.completed, t.verdict]),
    ).toEqual([
      ['d1', 'retention', 'eu-west-2', false, 'uk'],
      ['d2', 'erasure', 'uk', false, 'uk'],
    ]);
    expect(page.summary).toEqual({ checked: 2, nonUkAttempted: 0, nonUkCompleted: 0, destroyed: 2 });
    expect(query({ nonUkOnly: true }).items).toEqual([]);
    expect(query({ scopeOrgId: 'police' }).summary.destroyed).toBe(2);
  });

  it('pages by position and recipient, and cuts at asOf', async () => {
    const first = await append('document-d1', shared('council', ['police', 'paris']));
    await append('document-d3', shared('police', ['council']));
    const page1 = query({ limit: 1 });
    expect(page1.nextAfter).toBe(`${first}.0`);
    const page2 = query({ limit: 1, after: [first, 0] });
    expect(page2.items[0]).toMatchObject({ position: first, seq: 1 });
    expect(query({ upTo: first }).summary.checked).toBe(2);
  });
});
