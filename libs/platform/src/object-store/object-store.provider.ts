import { Provider } from '@nestjs/common';
import {
  createMinioObjectStore,
  FilesystemObjectStore,
  OBJECT_STORE,
  ObjectStore,
} from '@accord/object-store';
import { ACCORD_CONFIG, LoadedConfig, ObjectStoreConfig } from '../config/accord-config';
import { ShutdownSequence } from '../lifecycle/shutdown-sequence';

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
  inject: [ACCORD_CONFIG, ShutdownSequence],
  useFactory: (config: LoadedConfig, shutdown: ShutdownSequence): ObjectStore => {
    const store = createObjectStore(config.objectStore);
    shutdown.add('object store', () => store.close());
    return store;
  },
};
