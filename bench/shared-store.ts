import { documentStreamId } from '@accord/domain';
import { SqliteEventStore } from '@accord/event-store';
import { join } from 'node:path';
import { makeEvents } from './fixtures';
import { Phase, RunContext, SharedStore, figure, now, secondsSince } from './harness';

/**
 * The 1M-event store that replay (b) and verification (c) read. It is filled through the adapter itself,
 * 100 events per append, so every row is one the adapter wrote; streams take their batches in turn, so a
 * stream's events are spread through the global log as they are in production.
 */

const PER_APPEND = 100;
const EVENTS_PER_STREAM = 1_000;

const fill: Phase = async (ctx) => {
  const { file, events } = ctx.args as { file: string; events: number };
  const streams = Math.max(1, Math.ceil(events / EVENTS_PER_STREAM));
  const store = new SqliteEventStore({ file });
  const revisions = new Int32Array(streams).fill(-1);
  const start = now();
  let lastReport = Date.now();
  for (let i = 0, n = 0; i < events; i += PER_APPEND, n++) {
    const s = n % streams;
    const batch = makeEvents(i, Math.min(PER_APPEND, events - i));
    const rev = revisions[s]!;
    const r = await store.append(documentStreamId(`fill-${s}`), batch, rev < 0 ? 'no-stream' : rev);
    revisions[s] = r.nextExpectedRevision;
    if (Date.now() - lastReport > 5_000) {
      lastReport = Date.now();
      ctx.progress(`${i + batch.length} / ${events} events`);
    }
  }
  const seconds = secondsSince(start);
  const head = await store.headPosition();
  await store.close();
  if (head !== events) throw new Error(`filled store has head ${head}, expected ${events}`);
  return { ops: events, seconds, info: { streams } };
};

export const sharedStorePhases = { fill };

export async function fillSharedStore(ctx: RunContext, events: number): Promise<SharedStore> {
  const file = join(ctx.dir, `shared-${events}.db`);
  ctx.progress(`filling a store of ${events} events through the adapter (${PER_APPEND} per append)`);
  const r = await ctx.phase('shared-store', 'fill', { file, events });
  return {
    file,
    events,
    streams: Number(r.info?.streams ?? 0),
    fill: figure(
      `adapter: 100 events per append, filling ${events.toLocaleString('en-GB')} events (event generation included)`,
      [r],
    ),
  };
}
