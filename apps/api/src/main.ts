import 'reflect-metadata';
import {
  AppLogger,
  closeOnSignals,
  describeStartupError,
  exitWithLine,
  loadConfigOrExit,
} from '@accord/platform';
import { createApiApp } from './create-api-app';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = AppLogger.create(config.logLevel);
  const app = await createApiApp(config, logger);
  closeOnSignals(app, logger, 'accord api');
  await app.listen(config.http.port, config.http.host);
  const host = config.http.host.includes(':') ? `[${config.http.host}]` : config.http.host;
  const url = `http://${host}:${config.http.port}`;
  logger.info(`accord api listening on ${url} (${config.mode} mode, docs at ${url}/docs)`, {
    url,
    mode: config.mode,
    eventStore: config.eventStore.kind,
    dataDir: config.dataDir,
  });
}

main().catch((error: unknown) => exitWithLine(`cannot start: ${describeStartupError(error)}`));
