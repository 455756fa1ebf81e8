import type { EventStore, JsonObject } from '@accord/event-store';
import { fold, type StreamDecider } from './command-runner';

/** A stream's state folded up to `revision` (-1: no event), and the log position of that last event. */
export interface Folded<S> {
  state: S;
  revision: number;
  position: number;
}

const DEFAULT_CAPACITY = 1_000;

/**
 * The folds of recently read streams of one decider, each at the revision it was folded to. `current` reads
 * only the events appended since that revision, on the event store, every time: events never change once
 * appended, so the remembered fold plus the tail is the fold of the whole stream, and a suspension,
 * restriction or removal appended a moment ago is in the tail the next request reads. Nothing here is ever
 * invalidated or trusted without that read; what it saves is re-reading and re-folding the whole history
 * (docs/architecture.md §37.7). Least recently used first; bounded.
 */
export class StreamFolds<S, C, E extends { type: string; data: JsonObject }> {
  private readonly folded = new Map<string, Folded<S>>();

  constructor(
    private readonly store: EventStore,
    private readonly decider: StreamDecider<S, C, E>,
    private readonly capacity = DEFAULT_CAPACITY,
  ) {}

  /** The stream's state now: the remembered fold plus whatever was appended since, read from the store. */
  async current(streamId: string): Promise<Folded<S>> {
    const known = this.folded.get(streamId);
    const fresh = await this.store.readStream(streamId, known ? { fromRevision: known.revision + 1 } : {});
    if (fresh.length === 0) return known ?? { state: this.decider.initialState(), revision: -1, position: 0 };
    const state = fold(this.decider, fresh, known?.state);
    const last = fresh[fresh.length - 1]!;
    const folded = { state, revision: last.revision, position: last.position };
    this.remember(streamId, folded);
    return folded;
  }

  /** The fold last remembered for the stream, without reading: only for a caller whose append checks it. */
  remembered(streamId: string): Folded<S> | undefined {
    return this.folded.get(streamId);
  }

  /** A fold the caller has just produced (its own append's state at the revision the append returned); kept
   * only if it is not behind the one remembered. */
  remember(streamId: string, folded: Folded<S>): void {
    // Two reads of one stream may finish out of order: the one that read less must not replace the other.
    const known = this.folded.get(streamId);
    if (known !== undefined && known.revision > folded.revision) return;
    this.folded.delete(streamId);
    this.folded.set(streamId, folded);
    if (this.folded.size > this.capacity) this.folded.delete(this.folded.keys().next().value!);
  }
}
