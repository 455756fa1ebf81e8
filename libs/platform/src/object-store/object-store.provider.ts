import { Provider } from '@nestjs/common';
import {
  createMinioObjectStore,
  FilesystemObjectStore,
  OBJECT_STORE,
  ObjectStore,
  ObjectStoreMisconfiguredError,
  ObjectStoreUnavailableError,
} from '@accord/object-store';
import { ACCORD_CONFIG, LoadedConfig, ObjectStoreConfig } from '../config/accord-config';
import { ShutdownSequence } from '../lifecycle/shutdown-sequence';
import { AppLogger } from '../logging/app-logger';

/** The adapter the configuration names: DATA_DIR/objects by default, MinIO (S3 API) when S3_ENDPOINT is set. */
export function createObjectStore(config: ObjectStoreConfig): ObjectStore {
  switch (config.kind) {
    case 'filesystem':
      return new FilesystemObjectStore({ dir: config.dir, region: config.region });
    case 's3':
      return createMinioObjectStore(config);
  }
}

export const objectStoreProvider: Provider = {
  provide: OBJECT_STORE,
  inject: [ACCORD_CONFIG, ShutdownSequence, AppLogger],
  useFactory: async (
    config: LoadedConfig,
    shutdown: ShutdownSequence,
    logger: AppLogger,
  ): Promise<ObjectStore> => {
    const store = createObjectStore(config.objectStore);
    shutdown.add('object store', () => store.close());
    await openObjectStore(store, config, logger);
    return store;
  },
};

/**
 * Start-up check (issue 12, docs/architecture.md §7): a store that cannot be used as configured, or an S3
 * bucket that reports a region outside UK_STORAGE_REGIONS, stops the process with one line, rather than
 * answering every share with an error while /health says ok. A store that cannot be reached yet is only
 * logged: it is checked again on first use, and /health reports it.
 */
export async function openObjectStore(
  store: ObjectStore,
  config: LoadedConfig,
  logger: AppLogger,
): Promise<void> {
  try {
    await store.open();
  } catch (error) {
    if (error instanceof ObjectStoreMisconfiguredError || !(error instanceof ObjectStoreUnavailableError)) {
      await store.close();
      throw error;
    }
    logger.warn('object store not reachable at start-up; checked again on first use', {
      adapter: store.adapter,
      detail: error.message,
    });
    return;
  }
  // The embedded store's `uk` is the operator's statement, not a server's answer: a node whose allow-list
  // leaves it out still starts, and refuses each share with TransferBlocked (documents-config e2e).
  if (config.objectStore.kind === 's3' && !config.ukStorageRegions.includes(store.region.toLowerCase())) {
    await store.close();
    throw new ObjectStoreMisconfiguredError(
      `object store region ${store.region} is not in UK_STORAGE_REGIONS (${config.ukStorageRegions.join(', ')})`,
    );
  }
}
