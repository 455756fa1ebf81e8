import type { RecordedEvent } from '@accord/event-store';
import type { ReadDb } from '../projection';
import { sql } from '../statement-cache';

/**
 * A read model whose rows keep the domain's own folded state (JSON in a `state` column, keyed by `id`):
 * the stored state of row `id` of `table`, evolved by one more event with the domain's evolve function,
 * so the view can never disagree with the decider about what an event means.
 */
export function evolveRowState<S, E>(
  db: ReadDb,
  table: string,
  id: string,
  initial: S,
  evolve: (state: S, event: E) => S,
  event: RecordedEvent,
): S {
  const row = sql(db, `SELECT state FROM ${table} WHERE id = ?`).pluck().get(id) as string | undefined;
  const before = row === undefined ? initial : (JSON.parse(row) as S);
  return evolve(before, { type: event.type, data: event.data } as E);
}
