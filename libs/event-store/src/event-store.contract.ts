import { GENESIS_HASH, NewEvent, RecordedEvent } from './envelope';
import { DuplicateEventIdError, WrongExpectedRevisionError } from './errors';
import { AppendResult, EventStore, ExpectedRevision } from './event-store.port';
import { ChainVerifier, eventHash } from './hash-chain';
import { eventIdsFor, uuidv7 } from './ids';
import type { NoteSigner } from './merkle/checkpoint-note';
import type { VerifiableLog } from './merkle/verifiable-log';
import { verifyEventStore } from './verify';

/**
 * The one contract every EventStore adapter passes (docs/architecture.md §20.4). Each adapter's spec calls
 * testEventStore in a few lines. The log may hold other events (a shared KurrentDB server), so every test
 * uses fresh stream ids and positions relative to the head it saw when it started.
 */
export interface EventStoreHarness {
  store: EventStore;
  /** Closes the current store and opens the same storage again; `store` then refers to the new one. */
  reopen(): Promise<EventStore>;
  /** Changes ONE byte of the stored event at that position, bypassing the store; absent where impossible. */
  tamper?(position: number): Promise<void>;
  cleanup(): Promise<void>;
}

export interface EventStoreContractOptions {
  create(): Promise<EventStoreHarness>;
  /** A reason to skip the whole suite (printed), e.g. no server reachable. */
  skip?: string;
  /**
   * False where the store has no global event-id index (KurrentDB checks ids per stream only): the case of an
   * id reused in another stream is then skipped with a printed reason; reuse inside one stream is still tested.
   */
  globalEventIdIndex?: boolean;
}

const SETTLE_MS = 15_000;

export function testEventStore(adapterName: string, opts: EventStoreContractOptions): void {
  if (opts.skip) console.warn(`EventStore contract for ${adapterName} skipped: ${opts.skip}`);
  const suite = opts.skip ? describe.skip : describe;

  suite(`EventStore contract: ${adapterName}`, () => {
    let h: EventStoreHarness;
    const store = (): EventStore => h.store;
    beforeEach(async () => {
      h = await opts.create();
    });
    afterEach(async () => {
      await h?.cleanup();
    });

    it('appends to a stream in order, revisions counting from 0 and positions rising', async () => {
      const start = await store().headPosition();
      const s = streamId();
      const first = await store().append(s, makeEvents(3), 'no-stream');
      expect(first).toMatchObject({ nextExpectedRevision: 2, duplicate: false });
      expect(first.position).toBeGreaterThan(start);
      const more = makeEvents(2, { from: 3 });
      const second = await store().append(s, more, 2);
      expect(second).toMatchObject({ nextExpectedRevision: 4, duplicate: false });

      const events = await store().readStream(s);
      expect(events.map((e) => e.revision)).toEqual([0, 1, 2, 3, 4]);
      expect(events.map((e) => e.data.n)).toEqual([0, 1, 2, 3, 4]);
      expect(events.every((e) => e.streamId === s && e.type === 'ThingHappened')).toBe(true);
      expectRising(events.map((e) => e.position));
      expect(events[2]!.position).toBe(first.position);
      expect(events[4]!.position).toBe(second.position);
      expect(events[3]).toMatchObject({ eventId: more[0]!.eventId, data: more[0]!.data });
      expect(events[3]!.meta).toMatchObject(more[0]!.meta as object);
      expect((await store().readStream(s, { fromRevision: 3 })).map((e) => e.revision)).toEqual([3, 4]);
      expect(await store().readStream(streamId())).toEqual([]);
      expect(await store().headPosition()).toBeGreaterThanOrEqual(second.position);
      expect(await store().health()).toMatchObject({ ok: true, adapter: store().adapter });
    });

    it('seals each stream into a hash chain: genesis of 64 zeros, each prevHash the previous hash', async () => {
      const s = streamId();
      await store().append(s, makeEvents(2), 'no-stream');
      await store().append(s, makeEvents(3, { from: 2 }), 1);
      const events = await store().readStream(s);
      expect(events[0]!.meta.prevHash).toBe(GENESIS_HASH);
      expect(GENESIS_HASH).toMatch(/^0{64}$/);
      for (let i = 1; i < events.length; i++) expect(events[i]!.meta.prevHash).toBe(events[i - 1]!.meta.hash);
      for (const e of events) expect(eventHash(e)).toBe(e.meta.hash);
      const verifier = new ChainVerifier();
      for (const e of events) verifier.check(e);
      expect(verifier.firstBreak).toBeUndefined();
    });

    it('lets exactly one of two writers racing with the same expected revision win', async () => {
      const s = streamId();
      await store().append(s, makeEvents(1), 'no-stream');
      const [a, b] = [makeEvents(2, { from: 1 }), makeEvents(2, { from: 1 })];
      const outcomes = await Promise.allSettled([store().append(s, a, 0), store().append(s, b, 0)]);
      const won = outcomes.filter((o) => o.status === 'fulfilled');
      const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(lost[0]!.reason).toBeInstanceOf(WrongExpectedRevisionError);
      const winner = outcomes[0]!.status === 'fulfilled' ? a : b;
      expect((await store().readStream(s)).map((e) => e.eventId).slice(1)).toEqual(
        winner.map((e) => e.eventId),
      );
    });

    it('lets exactly one of two writers racing to create a stream win', async () => {
      const s = streamId();
      const outcomes = await Promise.allSettled([
        store().append(s, makeEvents(1), 'no-stream'),
        store().append(s, makeEvents(1), 'no-stream'),
      ]);
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      const lost = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
      expect(lost?.reason).toBeInstanceOf(WrongExpectedRevisionError);
      expect(await store().readStream(s)).toHaveLength(1);
    });

    it('rejects a stale or wrong expected revision and writes nothing', async () => {
      const s = streamId();
      await store().append(s, makeEvents(2), 'no-stream');
      const noStream = await store()
        .append(s, makeEvents(1), 'no-stream')
        .catch((e: unknown) => e);
      expect(noStream).toBeInstanceOf(WrongExpectedRevisionError);
      expect(noStream).toMatchObject({ streamId: s, expected: 'no-stream', actual: 1 });
      await expect(store().append(s, makeEvents(1), 0)).rejects.toMatchObject({ expected: 0, actual: 1 });
      await expect(store().append(s, makeEvents(1), 5)).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      const missing = streamId();
      await expect(store().append(missing, makeEvents(1), 0)).rejects.toMatchObject({ actual: 'no-stream' });
      expect(await store().readStream(s)).toHaveLength(2);
      expect(await store().readStream(missing)).toEqual([]);
      expect((await store().append(s, makeEvents(1), 'any')).nextExpectedRevision).toBe(2);
      expect((await store().append(streamId(), makeEvents(1), 'any')).nextExpectedRevision).toBe(0);
    });

    it('answers a retried append (same eventIds, now stale revision) as the first did and writes nothing', async () => {
      const s = streamId();
      const key = uuidv7();
      const retried = (): NewEvent[] => makeEvents(2, { ids: eventIdsFor(2, key, 'contract') });
      const first = await store().append(s, retried(), 'no-stream');
      await store().append(s, makeEvents(1, { from: 2 }), 1);
      const head = await store().headPosition();
      const retry = await store().append(s, retried(), 'no-stream');
      expect(retry).toEqual({ ...first, duplicate: true });
      expect(await store().readStream(s)).toHaveLength(3);
      expect((await readAllAfter(store(), head)).filter((e) => e.streamId === s)).toEqual([]);
    });

    it('rejects an eventId reused for a different event', async () => {
      const s = streamId();
      const [stored] = makeEvents(1);
      await store().append(s, [stored!], 'no-stream');
      const elsewhere = streamId();
      if (opts.globalEventIdIndex === false) {
        console.warn(
          `EventStore contract for ${adapterName}: reuse of an id in another stream not checked (no global id index)`,
        );
      } else {
        await expect(store().append(elsewhere, [stored!], 'any')).rejects.toBeInstanceOf(
          DuplicateEventIdError,
        );
      }
      const otherType = { ...stored!, type: 'SomethingElseHappened' };
      await expect(store().append(s, [otherType], 'any')).rejects.toBeInstanceOf(DuplicateEventIdError);
      expect(await store().readStream(elsewhere)).toEqual([]);
      expect(await store().readStream(s)).toHaveLength(1);
    });

    it('pages the global log in position order from an exclusive `after`', async () => {
      const start = await store().headPosition();
      const streams = [streamId(), streamId(), streamId()];
      const appended: string[] = [];
      for (let i = 0; i < 12; i++) {
        const events = makeEvents(100, { from: i * 100 });
        await store().append(streams[i % 3]!, events, i < 3 ? 'no-stream' : Math.floor(i / 3) * 100 - 1);
        appended.push(...events.map((e) => e.eventId));
      }
      const ours = (events: RecordedEvent[]) => events.filter((e) => streams.includes(e.streamId));
      const pages: RecordedEvent[][] = [];
      for await (const page of store().readAll({ after: start })) pages.push(page);
      expect(pages.length).toBeGreaterThan(1);
      expect(pages.every((p) => p.length > 0)).toBe(true);
      const all = pages.flat();
      expect(all[0]!.position).toBeGreaterThan(start);
      expectRising(all.map((e) => e.position));
      const mine = ours(all);
      expect(mine.map((e) => e.eventId)).toEqual(appended);
      for (const e of mine) expect(eventHash(e)).toBe(e.meta.hash);

      const from = mine[499]!.position;
      const rest = ours(await readAllAfter(store(), from));
      expect(rest[0]!.eventId).toBe(appended[500]);
      expect(rest).toHaveLength(700);
      expect(await readAllAfter(store(), start, 7)).toHaveLength(7);
    });

    it('delivers every event to a subscription once and in order, live too, and resumes after a reopen', async () => {
      const start = await store().headPosition();
      const [a, b] = [streamId(), streamId()];
      const expected: string[] = [];
      const add = async (s: string, n: number, rev: ExpectedRevision): Promise<AppendResult> => {
        const events = makeEvents(n);
        const r = await store().append(s, events, rev);
        expected.push(...events.map((e) => e.eventId));
        return r;
      };
      await add(a, 3, 'no-stream');
      await add(b, 2, 'no-stream');

      const seen: RecordedEvent[] = [];
      const positions: number[] = [];
      let overlapped = false;
      // One handler per subscription: a batch handed over before close() may still be finishing.
      const handler = () => {
        let inFlight = 0;
        return async (events: RecordedEvent[]): Promise<void> => {
          overlapped ||= inFlight++ > 0;
          positions.push(...events.map((e) => e.position));
          seen.push(...events.filter((e) => e.streamId === a || e.streamId === b));
          await new Promise((r) => setTimeout(r, 1));
          inFlight--;
        };
      };
      const sub = store().subscribeToAll({ after: start, batchSize: 2, onEvents: handler() });
      await until(() => seen.length >= 5, 'catch-up delivery');
      // Appended while the subscription runs, some of them concurrently.
      await Promise.all([add(a, 2, 2), add(b, 1, 1)]);
      await add(a, 4, 4);
      await until(() => seen.length >= 12, 'live delivery');
      await sub.close();
      const checkpoint = seen[seen.length - 1]!.position;
      expect(sub.position).toBeGreaterThanOrEqual(checkpoint);

      // Appended while no one listens, then read by a new subscription after a reopen.
      await add(b, 3, 2);
      await h.reopen();
      await add(a, 2, 8);
      const resumed = store().subscribeToAll({ after: checkpoint, onEvents: handler() });
      await until(() => seen.length >= 17, 'delivery after reopen');
      await resumed.close();

      const ids = seen.map((e) => e.eventId);
      expect(new Set(ids).size).toBe(ids.length);
      expect([...ids].sort()).toEqual([...expected].sort());
      expect(seen.filter((e) => e.streamId === a).map((e) => e.revision)).toEqual([...Array(11).keys()]);
      expect(seen.filter((e) => e.streamId === b).map((e) => e.revision)).toEqual([...Array(6).keys()]);
      expectRising(positions);
      expect(overlapped).toBe(false);
    });

    it('names exactly the tampered event when verifying, and passes a clean log', async () => {
      const start = await store().headPosition();
      const streams = [streamId(), streamId(), streamId()];
      for (const s of streams) await store().append(s, makeEvents(3), 'no-stream');
      const onlyOurs = { after: start, streamFilter: (id: string) => streams.includes(id) };
      const progress: number[] = [];
      const clean = await verifyEventStore(store(), {
        ...onlyOurs,
        onProgress: (p) => progress.push(p.eventsChecked),
      });
      expect(clean).toEqual({ ok: true, eventsChecked: 9, streams: 3 });
      expect(progress[progress.length - 1]).toBe(9);
      if (!h.tamper) {
        console.warn(
          `EventStore contract for ${adapterName}: tamper case skipped, the harness cannot alter stored events`,
        );
        return;
      }
      const victim = (await store().readStream(streams[1]!))[1]!;
      await h.tamper(victim.position);
      const report = await verifyEventStore(store(), onlyOurs);
      expect(report).toMatchObject({ ok: false, eventsChecked: 9, streams: 3 });
      expect(report.firstBadEvent).toEqual({
        eventId: victim.eventId,
        streamId: victim.streamId,
        revision: 1,
        position: victim.position,
        reason: 'hash-mismatch',
      });
    });

    it('lands many concurrent appends to different streams, each with its own position', async () => {
      const streams = Array.from({ length: 40 }, () => streamId());
      const results = await Promise.all(streams.map((s) => store().append(s, makeEvents(3), 'no-stream')));
      expect(new Set(results.map((r) => r.position)).size).toBe(streams.length);
      for (const [i, s] of streams.entries()) {
        const events = await store().readStream(s);
        expect(events).toHaveLength(3);
        expect(results[i]).toEqual({
          nextExpectedRevision: 2,
          position: events[2]!.position,
          duplicate: false,
        });
      }
    });

    it("orders concurrent 'any' appends to one stream into one gap-free chain", async () => {
      const s = streamId();
      const batches = Array.from({ length: 8 }, () => makeEvents(2));
      const results = await Promise.all(batches.map((events) => store().append(s, events, 'any')));
      expect(new Set(results.map((r) => r.nextExpectedRevision)).size).toBe(8);
      const events = await store().readStream(s);
      expect(events.map((e) => e.revision)).toEqual([...Array(16).keys()]);
      const verifier = new ChainVerifier();
      for (const e of events) verifier.check(e);
      expect(verifier.firstBreak).toBeUndefined();
      for (const [i, batch] of batches.entries()) {
        const at = events.findIndex((e) => e.eventId === batch[0]!.eventId);
        expect(events[at + 1]!.eventId).toBe(batch[1]!.eventId);
        expect(results[i]!.nextExpectedRevision).toBe(at + 1);
      }
    });
  });
}

export function streamId(): string {
  return `document-${uuidv7()}`;
}

/** Data with unsorted keys, nesting and non-ASCII text, so the chain must survive storage byte for byte. */
export function makeEvents(n: number, opts: { from?: number; ids?: string[] } = {}): NewEvent[] {
  return Array.from({ length: n }, (_, i) => ({
    eventId: opts.ids?.[i] ?? uuidv7(),
    type: 'ThingHappened',
    data: { n: (opts.from ?? 0) + i, note: `event ${i} é ✓`, nested: { z: [1, 'two', null], a: true } },
    meta: {
      occurredAt: '2025-01-02T03:04:05.678Z',
      actor: { userId: 'user-1', orgId: 'org-1', role: 'practitioner' },
      correlationId: uuidv7(),
    },
  }));
}

async function readAllAfter(store: EventStore, after: number, limit?: number): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  for await (const page of store.readAll({ after, ...(limit ? { limit } : {}) })) out.push(...page);
  return out;
}

function expectRising(positions: number[]): void {
  for (let i = 1; i < positions.length; i++) expect(positions[i]).toBeGreaterThan(positions[i - 1]!);
}

/** Waits for a delivery; the limit only turns a hang into a readable failure, it is not what is tested. */
export async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + SETTLE_MS;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Signs the log's current root and keeps it, as an api's checkpoint timer does; returns what it signed. */
export async function checkpointNow(
  log: VerifiableLog,
  signer: NoteSigner,
): Promise<{ size: number; root: Buffer }> {
  const size = await log.treeSize();
  const root = await log.rootAt(size);
  await log.saveCheckpoint({ size, root, note: signer.signCheckpoint({ size, root }), signedAt: 'now' });
  return { size, root };
}
