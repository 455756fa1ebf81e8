import { DynamicModule, Module } from '@nestjs/common';
import { AppLogger, HealthModule, LoadedConfig, PlatformModule, ProjectionsModule } from '@accord/platform';
import { HealthController } from './health/health.controller';
import { MetricsController } from './metrics/metrics.controller';

/**
 * The HTTP API. It hosts this node's projector in both modes, because read models are per node; in
 * embedded mode it is the whole product. Feature modules are imported here as they arrive.
 */
@Module({})
export class ApiModule {
  static forRoot(config: LoadedConfig, logger?: AppLogger): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        PlatformModule.forRoot(config, { logger }),
        ProjectionsModule.forRoot({ start: true }),
        HealthModule,
      ],
      controllers: [HealthController, MetricsController],
    };
  }
}
