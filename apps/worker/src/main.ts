import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import {
  AppLogger,
  closeOnSignals,
  describeStartupError,
  exitWithLine,
  loadConfigOrExit,
} from '@accord/platform';
import { WorkerModule } from './worker.module';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = AppLogger.create(config.logLevel);
  if (config.mode === 'embedded') {
    // The api already runs the projector and scheduler in embedded mode; a worker is for cluster mode.
    logger.warn(
      'accord worker: no KURRENTDB_URL or POSTGRES_URL set, so this worker projects the embedded store in DATA_DIR',
    );
  }
  // Resolves once every module is initialised and the projector has started.
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config, logger), {
    logger,
    abortOnError: false,
  });
  closeOnSignals(app, logger, 'accord worker');
  logger.info(
    `accord worker started (${config.mode} mode, event store ${config.eventStore.kind}, scheduler ${config.scheduler.kind})`,
    {
      mode: config.mode,
      eventStore: config.eventStore.kind,
      scheduler: config.scheduler.kind,
      dataDir: config.dataDir,
    },
  );
}

main().catch((error: unknown) => exitWithLine(`cannot start: ${describeStartupError(error)}`));
