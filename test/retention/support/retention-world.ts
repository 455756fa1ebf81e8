import { documentStreamId } from '@accord/domain';
import { EVENT_STORE, EventStore, RecordedEvent } from '@accord/event-store';
import { SCHEDULER, Scheduler } from '@accord/jobs';
import { OBJECT_STORE, ObjectStore } from '@accord/object-store';
import { Clock, ReadYourWrites } from '@accord/platform';
import { RetentionSweep } from '../../../apps/api/src/retention/retention-sweep.job';
import { RunningApi, startApi } from '../../api/support/api-harness';
import { ApiClient, World } from '../../authz/world';
import { share } from '../../documents/support/documents-partnership';
import { buildPair, DocumentsPair, pairMetadata } from '../../documents/support/documents-pair';

/**
 * A real api (in this process, temp DATA_DIR) with two organisations under an agreement, a clock the test
 * moves, and handles on the stores the retention jobs use. The sweep interval is a day, so after the one
 * sweep at start-up only the test's own sweeps run.
 */
export interface RetentionWorld {
  api: RunningApi;
  world: World;
  pair: DocumentsPair;
  store: EventStore;
  objects: ObjectStore;
  scheduler: Scheduler;
  sweep: RetentionSweep;
  /** Moves the app's clock forward. */
  advance(ms: number): void;
  now(): Date;
  /** A plaintext share from the sender, kept until `retainForMs` from now. */
  shareDocument(retainForMs: number): Promise<{ documentId: string; objectKey: string }>;
  /** Sweeps now, waits for every queued destruction, then for the read models. */
  sweepAndSettle(): Promise<string[]>;
  settle(): Promise<void>;
  events(documentId: string): Promise<RecordedEvent[]>;
  lead(side: 'sender' | 'recipient'): ApiClient;
  close(): Promise<void>;
}

export async function buildRetentionWorld(env: Record<string, string> = {}): Promise<RetentionWorld> {
  const api = await startApi({ env: { RETENTION_SWEEP_INTERVAL_MS: '86400000', ...env } });
  let current = Date.now();
  api.app.get(Clock).now = () => new Date(current);
  const world = await World.build(api);
  const pair = await buildPair(world, world.org('own'), world.org('other'));
  const store = api.app.get<EventStore>(EVENT_STORE);
  const scheduler = api.app.get<Scheduler>(SCHEDULER);
  const sweep = api.app.get(RetentionSweep);
  const settle = async (): Promise<void> => void (await api.app.get(ReadYourWrites).catchUp());
  return {
    api,
    world,
    pair,
    store,
    objects: api.app.get<ObjectStore>(OBJECT_STORE),
    scheduler,
    sweep,
    advance: (ms) => void (current += ms),
    now: () => new Date(current),
    async shareDocument(retainForMs) {
      const retainUntil = new Date(current + retainForMs).toISOString();
      const client = world.client(pair.sender.users.practitioner.token);
      const reply = await share(client, pairMetadata(pair, { retainUntil }), 'retention test body');
      if (reply.status !== 201) throw new Error(`share failed: ${JSON.stringify(reply.body)}`);
      const documentId = reply.body.documentId as string;
      const shared = (await store.readStream(documentStreamId(documentId)))[0]!;
      return { documentId, objectKey: (shared.data as { objectKey: string }).objectKey };
    },
    async sweepAndSettle() {
      await settle();
      const queued = await sweep.sweep();
      await scheduler.idle({ timeoutMs: 20_000 });
      await settle();
      return queued;
    },
    settle,
    events: (documentId) => store.readStream(documentStreamId(documentId)),
    lead: (side) => world.client(pair[side].users['ig-lead'].token),
    close: () => world.close(),
  };
}

/** How many events of each retention type the stream holds. */
export async function retentionCounts(
  w: RetentionWorld,
  documentId: string,
): Promise<Record<string, number>> {
  const counts: Record<string, number> = { RetentionExpired: 0, PayloadDestroyed: 0 };
  for (const e of await w.events(documentId)) if (e.type in counts) counts[e.type]! += 1;
  return counts;
}
