import { EVENT_STORE, EventStore } from '@accord/event-store';
import { startApi } from '../api/support/api-harness';
import { World } from '../authz/world';
import { codeOf, documentEvents } from './support/documents-partnership';
import { buildPair, DocumentsPair, sharePair } from './support/documents-pair';

/** Rules that depend on how the node is configured: the storage region's UK allow-list, and /health. */
describe('documents: a node whose object store is off the UK allow-list', () => {
  let world: World;
  let pair: DocumentsPair;

  beforeAll(async () => {
    // The embedded store's region is `uk`; this node allows only eu-west-2.
    world = await World.build(await startApi({ env: { UK_STORAGE_REGIONS: 'eu-west-2' } }));
    pair = await buildPair(world, world.orgs.own, world.orgs.other);
  });
  afterAll(() => world?.close());

  it('refuses every share with 403 transfer.storage-region-not-uk and records TransferBlocked to the region', async () => {
    const reply = await sharePair(world, pair, 403);
    expect(codeOf(reply)).toBe('transfer.storage-region-not-uk');
    const events = await documentEvents(
      { store: world.api.app.get<EventStore>(EVENT_STORE) },
      reply.body.documentId,
    );
    expect(events.map((e) => [e.type, e.data['reason'], e.data['destination']])).toEqual([
      ['TransferBlocked', 'transfer.storage-region-not-uk', 'uk'],
    ]);
  });

  it('/health reports the object store with its adapter and region', async () => {
    const health = await world.client().get('/health');
    expect(health.body.ports.objectStore).toEqual({ ok: true, adapter: 'filesystem', region: 'uk' });
  });
});
