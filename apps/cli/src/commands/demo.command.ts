import { Command, InvalidArgumentError } from 'commander';
import { CliError } from '../cli-error';

interface DemoOptions {
  dataDir?: string;
  port?: number;
  keep?: boolean;
}

/**
 * `accord demo`: the whole product in a minute on the embedded default (SQLite and files in a data
 * directory): boots the api in this process, seeds the Staffordshire partnership from the seed agreement
 * (docs/architecture.md §17) and walks a share, an open, a refusal, the audit trail, a subject's rights, a
 * detected incident promoted to a breach with a partner's signed webhook, a share addressed to a team (a
 * colleague outside it refused), the email its member received through a local SMTP server, a revocation,
 * and retention, one line per step.
 */
export function demoCommand(): Command {
  return new Command('demo')
    .description(
      'seed the Staffordshire partnership on a local api and walk a share, an open, a refusal, the audit trail, ' +
        'subject rights, a detected incident turned into a breach with a signed webhook, a share to a team and ' +
        'the email its member received, a revocation, and retention',
    )
    .option('--data-dir <dir>', 'an empty data directory to use (default: a fresh temporary one, printed)')
    .option('--port <n>', 'port to listen on, on 127.0.0.1 (default: any free one)', parsePort)
    .option(
      '--keep',
      "keep the api running afterwards (Ctrl-C to stop): prints the web app's address and a token per role to sign in with",
    )
    .action(async (opts: DemoOptions) => {
      await runDemo(opts);
    });
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError('not a port');
  return port;
}

async function runDemo(opts: DemoOptions): Promise<void> {
  const started = Date.now();
  const { existsSync, mkdtempSync, readdirSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join, resolve } = await import('node:path');
  const dataDir = opts.dataDir ? resolve(opts.dataDir) : mkdtempSync(join(tmpdir(), 'accord-demo-'));
  if (existsSync(dataDir) && readdirSync(dataDir).length > 0) {
    throw new CliError(`${dataDir} is not empty: the demo seeds a fresh platform, give an empty --data-dir`);
  }
  const print = (line: string) => process.stdout.write(`${line}\n`);
  const step = (line: string) => print(`✓ ${line}`);

  const { AppLogger, loadConfig, ReadYourWrites } = await import('@accord/platform');
  const { EVENT_STORE } = await import('@accord/event-store');
  const { createApiApp } = await import('../../../api/src/create-api-app');
  const { initPlatformAdmin } = await import('./admin-init');
  const { DemoClient } = await import('../demo/demo-client');
  const { seedPartnership } = await import('../demo/demo-partnership');
  const { walkTheProduct } = await import('../demo/demo-walk');
  const { retentionStep } = await import('../demo/demo-retention');
  const { DemoMailSink } = await import('../demo/demo-mail-sink');
  const { webSignIns } = await import('../demo/demo-web-sign-in');

  // The emails' links name the api's address, so the port is chosen before the api is configured.
  const port = opts.port || (await freePort());
  const url = `http://127.0.0.1:${port}`;
  // A local mailbox: the api sends its emails there, and the walk prints what a recipient received.
  const mail = await DemoMailSink.start();
  const config = loadConfig({
    DATA_DIR: dataDir,
    LOG_LEVEL: 'error',
    // The demo's partner receives breach webhooks on 127.0.0.1 inside this process, at once.
    ACCORD_WEBHOOK_ALLOW_INSECURE_LOCALHOST: 'true',
    ACCORD_WEBHOOK_POLL_INTERVAL_MS: '50',
    SMTP_URL: mail.url,
    MAIL_FROM: 'accord@demo.example',
    ACCORD_PUBLIC_URL: url,
    ACCORD_EMAIL_POLL_INTERVAL_MS: '50',
  });
  // Only errors, on stderr: the walk's own lines are the demo's output.
  const logger = AppLogger.create(config.logLevel, { write: (line: string) => process.stderr.write(line) });
  const app = await createApiApp(config, logger).catch(async (error: unknown) => {
    await mail.close();
    throw error;
  });
  try {
    await app.listen(port, '127.0.0.1');
    step(`api running in this process at ${url}, data in ${dataDir} (embedded SQLite and files)`);
    step(`emails go to an SMTP server in this process on 127.0.0.1:${mail.port} (SMTP_URL ${mail.url})`);

    const store = app.get<import('@accord/event-store').EventStore>(EVENT_STORE);
    const admin = await initPlatformAdmin(store, {
      name: 'Demo platform admin',
      email: 'admin@demo.example',
      platformSecret: config.platformSecret,
    });
    await app.get(ReadYourWrites).catchUp();
    step('created the platform admin straight in the event store (as accord admin init does)');

    const adminClient = new DemoClient(url, admin.token);
    const partnership = await seedPartnership(adminClient, step);
    const workDir = mkdtempSync(join(tmpdir(), 'accord-demo-keyholder-'));
    try {
      await walkTheProduct({
        admin: adminClient,
        partnership,
        workDir,
        retention: (sender, recipient) =>
          retentionStep({
            app,
            partnership,
            sender,
            recipient,
            senderOrg: 'staffordshire-cc',
            recipientOrg: 'staffordshire-police',
            step,
          }),
        mail,
        clientCountryHeader: config.http.clientCountryHeader,
        step,
        print,
      });
    } finally {
      rmSync(workDir, { recursive: true, force: true });
    }
    print(`demo finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);

    if (opts.keep) {
      const people = await webSignIns(adminClient, partnership);
      print(`web app: ${url}/app/ (sign in with one of these API tokens)`);
      const width = Math.max(...people.map((p) => p.label.length));
      for (const p of people) print(`  ${p.label.padEnd(width)}  ${p.token}`);
      print(`still running: also ${url}/register, ${url}/audit/ui and ${url}/docs; Ctrl-C to stop`);
      await new Promise<void>((done) => {
        process.once('SIGINT', done);
        process.once('SIGTERM', done);
      });
    }
  } finally {
    await app.close();
    await mail.close();
  }
}

/** A port nobody listens on now, on 127.0.0.1 (the api takes it a moment later). */
async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
