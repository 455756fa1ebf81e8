import { Provider } from '@nestjs/common';
import { join } from 'node:path';
import { STREAM_PREFIXES } from '@accord/domain';
import {
  EVENT_STORE,
  EventStore,
  isVerifiableLog,
  KurrentDbEventStore,
  KurrentDbEventStoreOptions,
  PostgresEventStore,
  SqliteEventStore,
  SubscribedMerkleLog,
  VERIFIABLE_LOG,
  VerifiableLog,
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

/**
 * The log's Merkle tree: the SQLite and PostgreSQL adapters' own (kept in each append's transaction); for
 * KurrentDB, a tree the api keeps beside it in DATA_DIR/merkle.db, fed by a subscription (see
 * SubscribedMerkleLog). Provided by the api's audit module only, so the worker never starts a subscription
 * of its own.
 */
export const verifiableLogProvider: Provider = {
  provide: VERIFIABLE_LOG,
  inject: [EVENT_STORE, ACCORD_CONFIG, ShutdownSequence],
  useFactory: (store: EventStore, config: LoadedConfig, shutdown: ShutdownSequence): VerifiableLog => {
    const adapter = store instanceof MeteredEventStore ? store.inner : store;
    if (isVerifiableLog(adapter)) return adapter;
    const log = new SubscribedMerkleLog(adapter, join(config.dataDir, 'merkle.db'));
    log.start();
    shutdown.add('merkle log', () => log.close());
    return log;
  },
};
