import { KurrentDbEventStore, PostgresEventStore, SqliteEventStore } from '@accord/event-store';
import { createEventStore } from './event-store.provider';

describe('createEventStore', () => {
  it('binds the adapter the configuration names, PostgreSQL included', async () => {
    // Nothing listens on port 1: the store is only constructed here, never used.
    const pg = createEventStore({ kind: 'postgres', connectionString: 'postgres://accord@127.0.0.1:1/none' });
    expect(pg).toBeInstanceOf(PostgresEventStore);
    expect(pg.adapter).toBe('postgres');
    await pg.close();
    const sqlite = createEventStore({ kind: 'sqlite', file: ':memory:' });
    expect(sqlite).toBeInstanceOf(SqliteEventStore);
    await sqlite.close();
    expect(KurrentDbEventStore).toBeDefined();
  });
});
