import { jsonEvent, KurrentDBClient } from '@kurrent/kurrentdb-client';
import { EventStoreUnavailableError } from '../../errors';
import { EventStoreHarness, makeEvents, streamId, testEventStore } from '../../event-store.contract';
import { uuidv7 } from '../../ids';
import { KurrentDbEventStore } from './kurrentdb.event-store';
import { NotAnAccordEventError } from './kurrentdb.mapping';

const url = process.env.KURRENTDB_URL;
const NO_SERVER =
  'KURRENTDB_URL is not set: no KurrentDB server can run on this machine, so the KurrentDB contract run is skipped (never faked)';
/** A port nothing listens on: the real client, really failing to connect. */
const UNREACHABLE = 'kurrentdb://127.0.0.1:1?tls=false';

// The contract's streams are all `document-…`; narrowing $all to them keeps other families on a shared server out.
const open = (): KurrentDbEventStore =>
  new KurrentDbEventStore({ connectionString: url!, streamPrefixFilter: ['document-'] });

testEventStore('kurrentdb', {
  skip: url ? undefined : NO_SERVER,
  // KurrentDB de-duplicates event ids per stream only; the adapter cannot see an id used in another stream.
  globalEventIdIndex: false,
  // Events in KurrentDB are immutable and the log is checksummed: there is no tamper hook to offer.
  async create(): Promise<EventStoreHarness> {
    const h: EventStoreHarness = {
      store: open(),
      async reopen() {
        await h.store.close();
        h.store = open();
        return h.store;
      },
      // Streams stay on the server: every test uses fresh stream ids and positions after the head it saw.
      async cleanup() {
        await h.store.close();
      },
    };
    return h;
  },
});

(url ? describe : describe.skip)('KurrentDbEventStore on a server', () => {
  let store: KurrentDbEventStore;
  let raw: KurrentDBClient;
  beforeEach(() => {
    store = open();
    raw = KurrentDBClient.connectionString(url!);
  });
  afterEach(async () => {
    await store.close();
    await raw.dispose();
  });

  it('stores our eventId as the KurrentDB event id and the envelope meta as its metadata', async () => {
    const s = streamId();
    const [e] = makeEvents(1);
    const result = await store.append(s, [e!], 'no-stream');
    const [ours] = await store.readStream(s);
    const stored = [];
    for await (const r of raw.readStream(s)) stored.push(r.event!);
    expect(stored[0]).toMatchObject({ id: e!.eventId, type: e!.type, revision: 0n, isJson: true });
    expect(stored[0]!.metadata).toMatchObject({ prevHash: ours!.meta.prevHash, hash: ours!.meta.hash });
    expect(stored[0]!.metadata).toMatchObject({ $correlationId: e!.meta.correlationId });
    expect(Number(stored[0]!.position!.commit)).toBe(result.position);
    expect(ours!.position).toBe(result.position);
  });

  it("answers a retried 'any' append whose events still end the stream as the first did", async () => {
    const s = streamId();
    await store.append(s, makeEvents(1), 'any');
    const batch = makeEvents(2);
    const first = await store.append(s, batch, 'any');
    expect(await store.append(s, batch, 'any')).toEqual({ ...first, duplicate: true });
    expect(await store.readStream(s)).toHaveLength(3);
  });

  it('keeps system streams and other stream families out of readAll and the head position', async () => {
    const start = await store.headPosition();
    const s = streamId();
    const mine = await store.append(s, makeEvents(2), 'no-stream');
    await raw.appendToStream(`orders-${uuidv7()}`, jsonEvent({ type: 'OrderPlaced', data: { n: 1 } }));
    await raw.appendToStream(s, jsonEvent({ type: '$TestSystemEvent', data: { n: 2 } }));
    const seen = [];
    for await (const page of store.readAll({ after: start })) seen.push(...page);
    expect(seen.every((e) => e.streamId.startsWith('document-') && !e.type.startsWith('$'))).toBe(true);
    expect(seen.filter((e) => e.streamId === s)).toHaveLength(2);
    expect(await store.headPosition()).toBeGreaterThanOrEqual(mine.position);
  });

  it('refuses to read a stream holding an event it did not write, rather than hide a chain break', async () => {
    const s = streamId();
    await raw.appendToStream(s, jsonEvent({ type: 'ThingHappened', data: { n: 0 } }));
    await expect(store.readStream(s)).rejects.toBeInstanceOf(NotAnAccordEventError);
  });
});

describe('KurrentDbEventStore without a reachable server', () => {
  let store: KurrentDbEventStore;
  beforeEach(() => {
    store = new KurrentDbEventStore({ connectionString: UNREACHABLE, streamPrefixFilter: ['document-'] });
  });
  afterEach(async () => {
    await store.close();
  });

  it('refuses to append to a stream its $all filter would never read back', async () => {
    await expect(store.append('orders-1', makeEvents(1), 'no-stream')).rejects.toThrow(
      /outside this store's stream families/,
    );
  });

  it('reports itself unhealthy instead of throwing', async () => {
    const health = await store.health();
    expect(health).toMatchObject({ ok: false, adapter: 'kurrentdb' });
    expect(health.detail).toEqual(expect.any(String));
  });

  it('fails reads and appends with our unavailable error, not the vendor one', async () => {
    await expect(store.append(streamId(), makeEvents(1), 'no-stream')).rejects.toBeInstanceOf(
      EventStoreUnavailableError,
    );
    await expect(store.readStream(streamId())).rejects.toBeInstanceOf(EventStoreUnavailableError);
    await expect(store.headPosition()).rejects.toBeInstanceOf(EventStoreUnavailableError);
  });

  it('reports a subscription that cannot connect through onError', async () => {
    const error = await new Promise<unknown>((resolve) => {
      store.subscribeToAll({ after: 0, onEvents: () => undefined, onError: resolve });
    });
    expect(error).toBeInstanceOf(EventStoreUnavailableError);
  });

  it('refuses an event id it could not give back unchanged, before any I/O', async () => {
    const [e] = makeEvents(1);
    await expect(
      store.append(streamId(), [{ ...e!, eventId: 'order-1' }], 'no-stream'),
    ).rejects.toBeInstanceOf(TypeError);
  });
});
