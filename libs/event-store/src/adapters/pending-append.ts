import { NewEvent } from '../envelope';
import { AppendResult, ExpectedRevision } from '../event-store.port';

/**
 * An append waiting in a node's group-commit queue (the SQLite and PostgreSQL adapters). `result` or
 * `failure` is set inside the batch transaction and acted on only once it has committed.
 */
export interface PendingAppend {
  streamId: string;
  events: readonly NewEvent[];
  expected: ExpectedRevision;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
  result?: AppendResult;
  failure?: { error: unknown };
}
