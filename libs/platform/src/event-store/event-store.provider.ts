import { Provider } from '@nestjs/common';
import { STREAM_PREFIXES } from '@accord/domain';
import {
  EVENT_STORE,
  EventStore,
  KurrentDbEventStore,
  KurrentDbEventStoreOptions,
  PostgresEventStore,
  SqliteEventStore,
} from '@accord/event-store';
import { ACCORD_CONFIG, EventStoreConfig, LoadedConfig } from '../config/accord-config';
import { ShutdownSequence } from '../lifecycle/shutdown-sequence';
import { Metrics } from '../metrics/metrics';
import { MeteredEventStore } from './metered-event-store';

/** What the KurrentDB adapter is given: its $all filter is the domain's stream registry, whole. */
export function kurrentDbOptions(connectionString: string): KurrentDbEventStoreOptions {
  return { connectionString, streamPrefixFilter: STREAM_PREFIXES };
}

/**
 * The adapter the configuration names: SQLite in DATA_DIR by default, KurrentDB when KURRENTDB_URL is set,
 * PostgreSQL when POSTGRES_URL is (the schema refuses both at once).
 */
export function createEventStore(config: EventStoreConfig): EventStore {
  switch (config.kind) {
    case 'sqlite':
      return new SqliteEventStore({ file: config.file });
    case 'kurrentdb':
      return new KurrentDbEventStore(kurrentDbOptions(config.connectionString));
    case 'postgres':
      return new PostgresEventStore({ connectionString: config.connectionString });
  }
}

export const eventStoreProvider: Provider = {
  provide: EVENT_STORE,
  inject: [ACCORD_CONFIG, Metrics, ShutdownSequence],
  useFactory: (config: LoadedConfig, metrics: Metrics, shutdown: ShutdownSequence): EventStore => {
    const store = new MeteredEventStore(createEventStore(config.eventStore), metrics);
    shutdown.add('event store', () => store.close());
    return store;
  },
};
