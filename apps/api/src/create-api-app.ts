import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { accordVersion, AppLogger, configureHttpApp, LoadedConfig } from '@accord/platform';
import { ApiModule } from './api.module';
import { setUpOpenApi } from './openapi';

/**
 * Builds the API application, initialised but not listening: main.ts listens, and the e2e suites listen on
 * an ephemeral port. The projector has started (and read-model tables exist) when this resolves.
 */
export async function createApiApp(
  config: LoadedConfig,
  logger = AppLogger.create(config.logLevel),
): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.forRoot(config, logger), {
    bodyParser: false,
    logger,
    abortOnError: false,
  });
  configureHttpApp(app);
  setUpOpenApi(app, accordVersion());
  await app.init();
  return app;
}
