import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Module, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppLogger, configureHttpApp, loadConfig, LoadedConfig } from '@accord/platform';
import { ApiModule } from '../../../apps/api/src/api.module';
import { createApiApp } from '../../../apps/api/src/create-api-app';

export interface RunningApi {
  url: string;
  app: NestExpressApplication;
  config: LoadedConfig;
  /** Every log line written so far, parsed. */
  logs: Record<string, unknown>[];
  close(): Promise<void>;
}

/**
 * Boots the real API in this process on an ephemeral port over a fresh temp DATA_DIR (or `dataDir`, which
 * then outlives close(), for a restart on the same data), capturing its logs.
 * With `controllers`, those are added beside the api's own (through the same HTTP wiring), to probe the
 * platform's error handling before the features that will rely on it exist.
 */
export async function startApi(
  options: { env?: Record<string, string>; controllers?: Type[]; dataDir?: string } = {},
): Promise<RunningApi> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'accord-api-'));
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'debug', ...options.env });
  const logs: Record<string, unknown>[] = [];
  const logger = AppLogger.create(config.logLevel, {
    write: (line: string) => void logs.push(JSON.parse(line)),
  });
  let app: NestExpressApplication;
  if (options.controllers) {
    const root = {
      module: ProbeRootModule,
      imports: [ApiModule.forRoot(config, logger)],
      controllers: options.controllers,
    };
    app = await NestFactory.create<NestExpressApplication>(root, {
      bodyParser: false,
      logger,
      abortOnError: false,
    });
    configureHttpApp(app);
    await app.init();
  } else {
    app = await createApiApp(config, logger);
  }
  await app.listen(0, '127.0.0.1');
  const url = await app.getUrl();
  return {
    url: url.replace('[::1]', '127.0.0.1'),
    app,
    config,
    logs,
    close: async () => {
      await app.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

@Module({})
class ProbeRootModule {}
