import { DynamicModule, Global, Module } from '@nestjs/common';
import { openReadDb, Projection, ReadDb } from '@accord/projections';
import { ACCORD_CONFIG, LoadedConfig } from '../config/accord-config';
import { ShutdownSequence } from '../lifecycle/shutdown-sequence';
import { ProjectorHost } from './projector-host';
import { PROJECTIONS, PROJECTOR_AUTOSTART, READ_DB } from './projections.tokens';
import { productReadModels } from './read-models';
import { ReadYourWrites } from './read-your-writes';

export interface ProjectionsModuleOptions {
  /** Start the projector on application bootstrap (api, worker); false for the CLI. Default true. */
  start?: boolean;
  /** Replaces the product's list; for tests of a single projection. */
  projections?: Projection[];
}

/** Read models: the node's read.db, the projector that feeds it, and read-your-writes over it. */
@Global()
@Module({})
export class ProjectionsModule {
  static forRoot(options: ProjectionsModuleOptions = {}): DynamicModule {
    return {
      module: ProjectionsModule,
      providers: [
        { provide: PROJECTIONS, useFactory: () => options.projections ?? productReadModels() },
        { provide: PROJECTOR_AUTOSTART, useValue: options.start ?? true },
        {
          provide: READ_DB,
          inject: [ACCORD_CONFIG, ShutdownSequence],
          useFactory: (config: LoadedConfig, shutdown: ShutdownSequence): ReadDb => {
            const db = openReadDb(config.readModels.file);
            shutdown.add('read models database', () => void db.close());
            return db;
          },
        },
        ProjectorHost,
        ReadYourWrites,
      ],
      exports: [PROJECTIONS, READ_DB, ProjectorHost, ReadYourWrites],
    };
  }
}
