import { DynamicModule, Module } from '@nestjs/common';
import { AppLogger, HealthModule, LoadedConfig, PlatformModule, ProjectionsModule } from '@accord/platform';
import { RetentionJobsModule } from '../../api/src/retention/retention.module';

/**
 * The cluster-mode worker: its own projector over its own read.db (the retention schedule it sweeps is a
 * read model) and the job processors — retention's sweep and destroy jobs. No HTTP server.
 */
@Module({})
export class WorkerModule {
  static forRoot(config: LoadedConfig, logger?: AppLogger): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        PlatformModule.forRoot(config, { logger }),
        ProjectionsModule.forRoot({ start: true }),
        HealthModule,
        RetentionJobsModule,
      ],
    };
  }
}
