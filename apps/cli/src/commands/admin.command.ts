import { Command } from 'commander';
import type { RebuildProgress } from '@accord/projections';
import { CliError } from '../cli-error';
import { adminOrgCommand, adminUserCommand } from './admin-directory.command';

/**
 * `accord admin ...`: operator commands. `init` and `rebuild` work on this machine's DATA_DIR, not over
 * HTTP; `org` and `user` call the API as an admin.
 */
export function adminCommand(): Command {
  const admin = new Command('admin').description('operate the platform');

  admin
    .command('init')
    .description("create the first platform admin in DATA_DIR's event store and print its API token once")
    .option('--name <name>', "the admin's name", 'Platform administrator')
    .option('--email <email>', "the admin's email address", 'admin@accord.invalid')
    .action(async (opts: { name: string; email: string }) => {
      await init(opts);
    });
  admin.addCommand(adminOrgCommand());
  admin.addCommand(adminUserCommand());

  admin
    .command('rebuild')
    .description('drop every read model in DATA_DIR/read.db and replay the event store into it')
    .action(async () => {
      await rebuild();
    });

  return admin;
}

async function init(opts: { name: string; email: string }): Promise<void> {
  const { createEventStore, loadConfig } = await import('@accord/platform');
  const { isDomainError } = await import('@accord/domain');
  const { initPlatformAdmin } = await import('./admin-init');
  const config = loadConfig();
  const store = createEventStore(config.eventStore);
  try {
    const admin = await initPlatformAdmin(store, opts);
    process.stdout.write(`${admin.token}\n`);
    process.stderr.write(
      `created platform admin ${admin.userId}. The token above is shown once and only its hash is kept: ` +
        'store it now (e.g. export ACCORD_TOKEN=...).\n',
    );
  } catch (error) {
    // The decider's refusals (an email of the wrong shape) are the operator's to fix: one line, no stack.
    if (isDomainError(error)) throw new CliError(`${error.title}: ${error.detail}`);
    throw error;
  } finally {
    await store.close();
  }
}

async function rebuild(): Promise<void> {
  const { createEventStore, loadConfig, productReadModels, readModelsLockFor } =
    await import('@accord/platform');
  const { rebuildReadModels } = await import('@accord/projections');
  // Same configuration as the api: DATA_DIR, and KURRENTDB_URL or POSTGRES_URL if the events live there.
  const config = loadConfig();
  const lock = readModelsLockFor(config);
  const holder = lock.holder();
  if (holder !== undefined) {
    throw new CliError(
      `the read models in ${config.dataDir} are in use by process ${holder} (an api or worker); stop it first: ` +
        'a running projector would apply events twice over a rebuild',
    );
  }
  lock.acquire();
  const store = createEventStore(config.eventStore);
  const progress = progressPrinter();
  const started = Date.now();
  try {
    const projections = productReadModels();
    const result = await rebuildReadModels({
      store,
      db: config.readModels.file,
      projections,
      onProgress: progress.update,
    });
    progress.done();
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    process.stdout.write(
      `rebuilt ${projections.length} read model${projections.length === 1 ? '' : 's'} from ${result.events} events ` +
        `(position ${result.position}) in ${seconds} s\n`,
    );
  } finally {
    await store.close();
    lock.release();
  }
}

/** One progress line on stderr: rewritten in place on a terminal, at most one line a second otherwise. */
function progressPrinter(): { update: (p: RebuildProgress) => void; done: () => void } {
  const tty = process.stderr.isTTY === true;
  let last = 0;
  let pending: RebuildProgress | undefined;
  const print = (p: RebuildProgress): void => {
    const percent = p.head > 0 ? Math.min(100, Math.floor((p.position / p.head) * 100)) : 100;
    const line = `rebuilding read models: ${p.events} events, position ${p.position} of ${p.head} (${percent}%)`;
    process.stderr.write(tty ? `\r${line}` : `${line}\n`);
    last = Date.now();
    pending = undefined;
  };
  return {
    update: (p) => {
      pending = p;
      if (Date.now() - last >= (tty ? 100 : 1000)) print(p);
    },
    done: () => {
      if (pending) print(pending);
      if (tty) process.stderr.write('\n');
    },
  };
}
