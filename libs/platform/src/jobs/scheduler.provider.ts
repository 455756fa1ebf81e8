import { Provider } from '@nestjs/common';
import { EVENT_STORE } from '@accord/event-store';
import {
  createBullmqScheduler,
  InProcessScheduler,
  Scheduler,
  SCHEDULER,
  SchedulerLogger,
} from '@accord/jobs';
import { OBJECT_STORE } from '@accord/object-store';
import { ACCORD_CONFIG, LoadedConfig, SchedulerConfig } from '../config/accord-config';
import { ShutdownSequence } from '../lifecycle/shutdown-sequence';
import { AppLogger } from '../logging/app-logger';

/** In-process timers by default, BullMQ when REDIS_URL is set (docs/architecture.md §3). */
export function createScheduler(config: SchedulerConfig, logger: SchedulerLogger): Scheduler {
  switch (config.kind) {
    case 'in-process':
      return new InProcessScheduler({ logger });
    case 'bullmq':
      return createBullmqScheduler({ redisUrl: config.redisUrl, lockMs: config.lockMs, logger });
  }
}

export const schedulerLoggerOf = (logger: AppLogger): SchedulerLogger => ({
  warn: (fields, message) => logger.warn(message, fields),
  error: (fields, message) => logger.error(message, fields),
});

/**
 * Created but not started: a process that runs jobs registers its handlers and starts it. The event and
 * object stores are injected only to be opened first, so the shutdown sequence (last opened, first closed)
 * stops the scheduler, and lets its active jobs finish, before the stores those jobs write to close.
 */
export const schedulerProvider: Provider = {
  provide: SCHEDULER,
  inject: [ACCORD_CONFIG, ShutdownSequence, AppLogger, EVENT_STORE, OBJECT_STORE],
  useFactory: (config: LoadedConfig, shutdown: ShutdownSequence, logger: AppLogger): Scheduler => {
    const scheduler = createScheduler(config.scheduler, schedulerLoggerOf(logger));
    shutdown.add('scheduler', () => scheduler.stop());
    return scheduler;
  },
};
