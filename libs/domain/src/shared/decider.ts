import { JsonObject } from './json';

/** A stored fact. The type string is the contract: past tense, never derived from a class name, never renamed. */
export type Event<T extends string, D extends JsonObject> = { type: T; data: D };

/** Time arrives with the command so decide() stays pure and replayable (docs/architecture.md §20.1). */
export interface CommandMetadata {
  now: Date;
}

export type Command<T extends string, D> = { type: T; data: D; metadata: CommandMetadata };

/** The emmett decider shape: decide() may return no event (an idempotent repeat), one, or several. */
export interface Decider<State, C, E> {
  decide(command: C, state: State): E[];
  evolve(state: State, event: E): State;
  initialState(): State;
}

export function fold<State, C, E>(decider: Decider<State, C, E>, events: readonly E[]): State {
  return events.reduce((state, event) => decider.evolve(state, event), decider.initialState());
}
