import { DynamicModule, Global, Module } from '@nestjs/common';
import { EVENT_STORE } from '@accord/event-store';
import { SCHEDULER } from '@accord/jobs';
import { OBJECT_STORE } from '@accord/object-store';
import { ACCORD_CONFIG, LoadedConfig } from './config/accord-config';
import { eventStoreProvider } from './event-store/event-store.provider';
import { objectStoreProvider } from './object-store/object-store.provider';
import { schedulerProvider } from './jobs/scheduler.provider';
import { ShutdownSequence } from './lifecycle/shutdown-sequence';
import { AppLogger } from './logging/app-logger';
import { Metrics } from './metrics/metrics';
import { ABUSE_COUNTERS } from './abuse/abuse-counters';
import { abuseCountersProvider } from './abuse/abuse-counters.provider';
import { Clock } from './time/clock';
import { IdGenerator } from './time/id-generator';

export interface PlatformOptions {
  /** The process's logger, made in main before Nest so start-up lines and Nest's own share one format. */
  logger?: AppLogger;
}

/**
 * The composition root: binds each port to the adapter the configuration names, plus the side effects with
 * one implementation (clock, ids, logger, metrics). Global, so feature modules just inject.
 */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(config: LoadedConfig, options: PlatformOptions = {}): DynamicModule {
    const logger = options.logger ?? AppLogger.create(config.logLevel);
    return {
      module: PlatformModule,
      providers: [
        { provide: ACCORD_CONFIG, useValue: config },
        { provide: AppLogger, useValue: logger },
        Metrics,
        Clock,
        IdGenerator,
        ShutdownSequence,
        eventStoreProvider,
        objectStoreProvider,
        schedulerProvider,
        abuseCountersProvider,
      ],
      exports: [
        ACCORD_CONFIG,
        AppLogger,
        Metrics,
        Clock,
        IdGenerator,
        ShutdownSequence,
        EVENT_STORE,
        OBJECT_STORE,
        SCHEDULER,
        ABUSE_COUNTERS,
      ],
    };
  }
}
