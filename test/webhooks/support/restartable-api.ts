import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppLogger, loadConfig } from '@accord/platform';
import { createApiApp } from '../../../apps/api/src/create-api-app';
import type { RunningApi } from '../../api/support/api-harness';

/** The real API over one DATA_DIR that outlives it, so a test can stop it and start it again on the same data. */
export class RestartableApi {
  readonly dataDir = mkdtempSync(join(tmpdir(), 'accord-webhooks-'));
  current: RunningApi | undefined;

  constructor(private readonly env: Record<string, string>) {}

  async start(): Promise<RunningApi> {
    const config = loadConfig({ DATA_DIR: this.dataDir, LOG_LEVEL: 'warn', ...this.env });
    const logs: Record<string, unknown>[] = [];
    const logger = AppLogger.create(config.logLevel, {
      write: (line: string) => void logs.push(JSON.parse(line)),
    });
    const app: NestExpressApplication = await createApiApp(config, logger);
    await app.listen(0, '127.0.0.1');
    const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    this.current = { url, app, config, logs, close: () => app.close() };
    return this.current;
  }

  async stop(): Promise<void> {
    await this.current?.close();
    this.current = undefined;
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
