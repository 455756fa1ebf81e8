import { EventStore } from './event-store.port';
import { ChainBreak, ChainVerifier } from './hash-chain';

export interface VerifyProgress {
  eventsChecked: number;
  position: number;
}

export interface VerifyOptions {
  /** Called after each page of the log. */
  onProgress?: (progress: VerifyProgress) => void;
  /**
   * Verify only the streams it accepts (events of other streams are read but not checked). With `after`, this
   * lets a test verify its own streams on a shared server.
   */
  streamFilter?: (streamId: string) => boolean;
  /**
   * Start after this position. Sound only when every stream the filter accepts begins after it: a stream
   * met half-way reports a revision gap.
   */
  after?: number;
}

export interface VerifyResult {
  ok: boolean;
  eventsChecked: number;
  streams: number;
  /** The first event, in log order, whose revision, previous hash or own hash does not fit its stream. */
  firstBadEvent?: ChainBreak;
}

/**
 * A store that can check its own log faster than readAll() and ChainVerifier.check() (the SQLite adapter
 * hashes the canonical text it stored rather than decoding and re-canonicalising each event). It hands every
 * event after `after` whose stream `accept` accepts to the verifier, in log order, giving check()'s verdict,
 * and yields the position of the last event of each page it has read.
 */
export interface ChainCheckedLog {
  checkChains(
    verifier: ChainVerifier,
    after: number,
    accept?: (streamId: string) => boolean,
  ): AsyncIterable<number>;
}

function isChainCheckedLog(store: EventStore): store is EventStore & ChainCheckedLog {
  return typeof (store as Partial<ChainCheckedLog>).checkChains === 'function';
}

/** Any store: every event read and checked whole. */
async function* checkAll(
  store: EventStore,
  verifier: ChainVerifier,
  after: number,
  accept?: (streamId: string) => boolean,
): AsyncIterable<number> {
  for await (const page of store.readAll({ after })) {
    if (page.length === 0) continue;
    for (const e of page) {
      if (!accept || accept(e.streamId)) verifier.check(e);
    }
    yield page[page.length - 1]!.position;
  }
}

/**
 * Recomputes every stream's hash chain in one pass over the global log (`accord audit verify`,
 * `GET /audit/verify`). Memory grows with the number of streams, not events. It reads to the end, so
 * `eventsChecked` counts the whole log even when an early event is bad.
 */
export async function verifyEventStore(
  store: EventStore,
  options: VerifyOptions = {},
): Promise<VerifyResult> {
  const verifier = new ChainVerifier();
  const after = options.after ?? 0;
  const pages = isChainCheckedLog(store)
    ? store.checkChains(verifier, after, options.streamFilter)
    : checkAll(store, verifier, after, options.streamFilter);
  for await (const position of pages) {
    options.onProgress?.({ eventsChecked: verifier.eventsChecked, position });
  }
  const firstBadEvent = verifier.firstBreak;
  return {
    ok: !firstBadEvent,
    eventsChecked: verifier.eventsChecked,
    streams: verifier.streams,
    ...(firstBadEvent ? { firstBadEvent: { ...firstBadEvent } } : {}),
  };
}
