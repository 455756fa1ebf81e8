import { DomainErrorCode, isDomainError } from '../errors';
import { Decider } from '../shared/decider';

/**
 * given(events) / when(command) / then(events) or thenFails(code), after emmett's DeciderSpecification.
 * Test support only: it calls Jest's `expect`, so only specs import it.
 */
export function deciderSpec<S, C, E>(decider: Decider<S, C, E>) {
  return {
    given(events: readonly E[] = []) {
      const state = events.reduce((s, e) => decider.evolve(s, e), decider.initialState());
      return {
        when(command: C) {
          const run = () => decider.decide(command, state);
          return {
            then(expected: readonly E[]): E[] {
              const produced = run();
              expect(produced).toEqual(expected);
              return produced;
            },
            thenFails(code: DomainErrorCode): void {
              let caught: unknown;
              try {
                run();
              } catch (error) {
                caught = error;
              }
              if (!isDomainError(caught))
                throw new Error(`expected domain error ${code}, got ${String(caught)}`);
              expect(caught.code).toBe(code);
            },
            /** The state after the produced events, for assertions on queries. */
            thenState(): S {
              return run().reduce((s, e) => decider.evolve(s, e), state);
            },
          };
        },
      };
    },
  };
}
