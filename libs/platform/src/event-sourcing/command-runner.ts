import {
  AppendResult,
  EventMetaInput,
  EventStore,
  eventIdsFor,
  JsonObject,
  NewEvent,
  RecordedEvent,
  WrongExpectedRevisionError,
} from '@accord/event-store';

/** The decider shape of libs/domain (kept structural so the platform does not depend on one aggregate). */
export interface StreamDecider<S, C, E extends { type: string; data: JsonObject }> {
  decide(command: C, state: S): E[];
  evolve(state: S, event: E): S;
  initialState(): S;
}

export interface CommandContext {
  meta: EventMetaInput;
  /** The request's Idempotency-Key: event ids derive from it, so a retry appends nothing twice. */
  idempotencyKey?: string;
  /** Separates the ids of different operations that reuse one key (route + caller). */
  scope?: string;
  /**
   * The stream as the caller has just read it to check its own preconditions: the first attempt decides on
   * it rather than reading the stream a second time. The append still names the revision it was decided on,
   * so a write that landed in between fails it and the next attempt reads afresh.
   */
  history?: readonly RecordedEvent[];
  /**
   * Attempts before a lost race surfaces as 409 (default MAX_ATTEMPTS). A record that changes no state, such as
   * a refusal, asks for more: every lost race is another writer's append landing, and the record must be in.
   */
  attempts?: number;
}

export interface CommandOutcome<S, E> {
  /** The events this command appended, or the first request's events when this was a retry. */
  events: E[];
  state: S;
  /** Global position reached: wait for projections to reach it before answering (read-your-writes). */
  position: number;
  revision: number;
  /** True when an earlier request with the same Idempotency-Key already did the work. */
  replayed: boolean;
}

/**
 * docs/architecture.md §20.3: retry a lost optimistic-concurrency race at most three times, then let it
 * surface as 409.
 */
const MAX_ATTEMPTS = 3;

/**
 * Attempts for a record that must be in whatever the contention (an access decision, a refusal): each node
 * may host many writers, and within one there are enough attempts for every other writer of the same stream
 * to win once (each lost race means someone else's append landed) before a 409 can surface.
 */
export const RECORD_ATTEMPTS = 64;

/**
 * Load a stream, fold it, decide, append with the expected revision. The same shape for every aggregate, so
 * handlers only say which stream, which decider and which command.
 */
export async function runCommand<S, C, E extends { type: string; data: JsonObject }>(
  store: EventStore,
  streamId: string,
  decider: StreamDecider<S, C, E>,
  command: C,
  context: CommandContext,
): Promise<CommandOutcome<S, E>> {
  for (let attempt = 1; ; attempt++) {
    const history =
      attempt === 1 && context.history !== undefined ? context.history : await store.readStream(streamId);
    const replay = context.idempotencyKey ? findReplay<E>(history, context, streamId) : undefined;
    if (replay) return { ...replay, state: fold(decider, history) };

    const state = fold(decider, history);
    const decided = decider.decide(command, state);
    const last = history[history.length - 1];
    if (decided.length === 0) {
      return {
        events: [],
        state,
        position: last?.position ?? 0,
        revision: last?.revision ?? -1,
        replayed: false,
      };
    }
    const ids = eventIdsFor(decided.length, context.idempotencyKey, scopeOf(context, streamId));
    const events: NewEvent[] = decided.map((e, i) => ({
      eventId: ids[i]!,
      type: e.type,
      data: e.data,
      meta: context.meta,
    }));
    try {
      const result: AppendResult = await store.append(streamId, events, last ? last.revision : 'no-stream');
      return {
        events: decided,
        state: decided.reduce((s, e) => decider.evolve(s, e), state),
        position: result.position,
        revision: result.nextExpectedRevision,
        replayed: result.duplicate,
      };
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError) || attempt >= (context.attempts ?? MAX_ATTEMPTS))
        throw error;
    }
  }
}

/**
 * Folds recorded events onto `from` (the initial state unless a fold of the earlier events is given); the
 * decider's event union is what the store holds (types are the storage contract).
 */
export function fold<S, C, E extends { type: string; data: JsonObject }>(
  decider: StreamDecider<S, C, E>,
  history: readonly RecordedEvent[],
  from: S = decider.initialState(),
): S {
  let state = from;
  for (const e of history) state = decider.evolve(state, { type: e.type, data: e.data } as E);
  return state;
}

function scopeOf(context: CommandContext, streamId: string): string {
  return `${context.scope ?? ''}|${streamId}`;
}

/**
 * A retried request: the stream already holds the event whose id the key derives. Answer with what the first
 * request appended rather than deciding again (which would now fail, e.g. "already registered").
 */
function findReplay<E>(
  history: readonly RecordedEvent[],
  context: CommandContext,
  streamId: string,
): Omit<CommandOutcome<unknown, E>, 'state'> | undefined {
  const firstId = eventIdsFor(1, context.idempotencyKey, scopeOf(context, streamId))[0];
  const start = history.findIndex((e) => e.eventId === firstId);
  if (start < 0) return undefined;
  const ids = new Set(
    eventIdsFor(history.length - start, context.idempotencyKey, scopeOf(context, streamId)),
  );
  const mine = history.slice(start).filter((e) => ids.has(e.eventId));
  const lastMine = mine[mine.length - 1]!;
  return {
    events: mine.map((e) => ({ type: e.type, data: e.data }) as E),
    position: lastMine.position,
    revision: lastMine.revision,
    replayed: true,
  };
}
