import type { EventStore, SubscribeOptions, Subscription } from '@accord/event-store';
import { EventCountsProjection } from './testing/event-counts.projection';
import { newEvent, seed, tempStore } from './testing/projection-test-kit';
import { Projector } from './projector';
import type { ProjectorLogEntry } from './projector.types';
import { openReadDb } from './read-db';

/**
 * Fault injection around the real adapter: `stallOpenSubscriptions()` makes every subscription open so far
 * stop delivering without an error, as a silently stalled KurrentDB subscription does. Later ones work.
 */
class StallingStore implements EventStore {
  subscriptions = 0;
  private readonly open: { stalled: boolean }[] = [];
  constructor(private readonly inner: EventStore) {}
  get adapter(): string {
    return this.inner.adapter;
  }
  stallOpenSubscriptions(): void {
    for (const s of this.open) s.stalled = true;
  }
  subscribeToAll(options: SubscribeOptions): Subscription {
    this.subscriptions++;
    const state = { stalled: false };
    this.open.push(state);
    return this.inner.subscribeToAll({
      ...options,
      onEvents: (events) => (state.stalled ? undefined : options.onEvents(events)),
    });
  }
  append: EventStore['append'] = (...args) => this.inner.append(...args);
  readStream: EventStore['readStream'] = (...args) => this.inner.readStream(...args);
  readAll: EventStore['readAll'] = (...args) => this.inner.readAll(...args);
  headPosition: EventStore['headPosition'] = () => this.inner.headPosition();
  health: EventStore['health'] = () => this.inner.health();
  close: EventStore['close'] = () => this.inner.close();
}

describe('Projector watchdog', () => {
  let env: ReturnType<typeof tempStore>;
  beforeEach(() => (env = tempStore()));
  afterEach(() => env.cleanup());

  it('resubscribes from the checkpoint when the store is ahead and the subscription has gone silent', async () => {
    const store = new StallingStore(env.store);
    const counts = new EventCountsProjection();
    const logs: ProjectorLogEntry[] = [];
    const projector = new Projector({
      store,
      db: env.readDb,
      projections: [counts],
      watchdog: { intervalMs: 20, stallMs: 150 },
      log: (e) => logs.push(e),
    });
    await projector.start();
    try {
      const before = await seed(env.store, 2, 5);
      await projector.waitFor(before, 10_000);
      expect((await projector.status()).restarts).toBe(0);

      store.stallOpenSubscriptions();
      const { position } = await env.store.append(
        'while-stalled',
        [newEvent('A'), newEvent('B')],
        'no-stream',
      );
      await projector.waitFor(position, 10_000);

      const status = await projector.status();
      expect(status.restarts).toBeGreaterThanOrEqual(1);
      expect(store.subscriptions).toBe(status.restarts + 1);
      expect(status).toMatchObject({ position, head: position, lag: 0 });
      expect(logs.some((e) => e.message === 'subscription stalled; resubscribing from checkpoint')).toBe(
        true,
      );
      const db = openReadDb(env.readDb);
      expect(counts.positions(db)).toEqual(Array.from({ length: position }, (_, i) => i + 1));
      db.close();
    } finally {
      await projector.stop();
    }
  });

  it('leaves a caught-up subscription alone', async () => {
    const store = new StallingStore(env.store);
    const projector = new Projector({
      store,
      db: env.readDb,
      projections: [new EventCountsProjection()],
      watchdog: { intervalMs: 10, stallMs: 30 },
    });
    await projector.start();
    try {
      const head = await seed(env.store, 3, 3);
      await projector.waitFor(head, 10_000);
      await new Promise((r) => setTimeout(r, 200));
      expect(await projector.status()).toMatchObject({ restarts: 0, stalled: false, lag: 0 });
      expect(store.subscriptions).toBe(1);
    } finally {
      await projector.stop();
    }
  });
});
