import { SingleBar } from 'cli-progress';
import { Command, InvalidArgumentError } from 'commander';
import type { RebuildProgress } from '@accord/projections';
import { ClientFlags, resolveClientSettings } from '../cli-config';
import { CliError } from '../cli-error';
import { JSON_OPTION, printJson } from '../output';
import type { PlatformAdmin } from './admin-init';
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
    .option(
      '--wait <seconds>',
      'wait at most this long for a running api at the server URL to accept the token (0: do not wait)',
      parseSeconds,
      10,
    )
    .option(...JSON_OPTION)
    .action(async (opts: InitOptions, cmd: Command) => {
      await init(opts, cmd.optsWithGlobals<ClientFlags>());
    });
  admin.addCommand(adminOrgCommand());
  admin.addCommand(adminUserCommand());

  admin
    .command('rebuild')
    .description('drop every read model in DATA_DIR/read.db and replay the event store into it')
    .option(...JSON_OPTION)
    .action(async (opts: { json?: boolean }) => {
      await rebuild(opts);
    });

  return admin;
}

interface InitOptions {
  name: string;
  email: string;
  wait: number;
  json?: boolean;
}

function parseSeconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 600) throw new InvalidArgumentError('seconds between 0 and 600');
  return n;
}

async function init(opts: InitOptions, flags: ClientFlags): Promise<void> {
  const { createEventStore, loadConfig } = await import('@accord/platform');
  const { isDomainError } = await import('@accord/domain');
  const { initPlatformAdmin, waitUntilApiAccepts } = await import('./admin-init');
  const config = loadConfig();
  const store = createEventStore(config.eventStore);
  let admin: PlatformAdmin;
  try {
    admin = await initPlatformAdmin(store, { ...opts, platformSecret: config.platformSecret });
    if (!opts.json) {
      process.stdout.write(`${admin.token}\n`);
      process.stderr.write(
        `created platform admin ${admin.userId}. The token above is shown once and only its hash is kept: ` +
          'store it now (e.g. export ACCORD_TOKEN=...).\n',
      );
    }
  } catch (error) {
    // The decider's refusals (an email of the wrong shape) are the operator's to fix: one line, no stack.
    if (isDomainError(error)) throw new CliError(`${error.title}: ${error.detail}`);
    throw error;
  } finally {
    await store.close();
  }
  // The api learns of the new user through its read model, a moment after the append: wait until it
  // accepts the token, so that the next command of a script is not refused with 401 (admin-init.ts).
  const { url } = resolveClientSettings({ ...flags, token: admin.token });
  const api = await waitUntilApiAccepts(url, admin.token, opts.wait * 1000);
  if (opts.json) printJson({ userId: admin.userId, tokenId: admin.tokenId, token: admin.token, api, url });
  if (api === 'accepted') {
    if (!opts.json) process.stderr.write(`the api at ${url} accepts the token\n`);
  } else if (api === 'not-running') {
    if (!opts.json) {
      process.stderr.write(
        `no api answers at ${url}: the token will work once one runs on this event store\n`,
      );
    }
  } else if (api === 'timeout') {
    throw new CliError(
      `the api at ${url} did not accept the new token within ${opts.wait} s: does it use this DATA_DIR ` +
        '(or KURRENTDB_URL)? The admin was created all the same; its token is printed above',
    );
  }
}

async function rebuild(opts: { json?: boolean }): Promise<void> {
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
    if (opts.json) {
      return printJson({
        readModels: projections.length,
        events: result.events,
        position: result.position,
        seconds: Number(seconds),
      });
    }
    process.stdout.write(
      `rebuilt ${projections.length} read model${projections.length === 1 ? '' : 's'} from ${result.events} events ` +
        `(position ${result.position}) in ${seconds} s\n`,
    );
  } finally {
    progress.done(); // a failed rebuild stops the bar too (its timer would keep the process alive)
    await store.close();
    lock.release();
  }
}

/**
 * One progress line on stderr, drawn by cli-progress: rewritten in place on a terminal (at most ten times a
 * second), a whole line a second otherwise; the last state stays on screen.
 */
function progressPrinter(): { update: (p: RebuildProgress) => void; done: () => void } {
  const tty = process.stderr.isTTY === true;
  let latest: RebuildProgress | undefined;
  let bar: SingleBar | undefined;
  const line = (p: RebuildProgress): string => {
    const percent = p.head > 0 ? Math.min(100, Math.floor((p.position / p.head) * 100)) : 100;
    return `rebuilding read models: ${p.events} events, position ${p.position} of ${p.head} (${percent}%)`;
  };
  return {
    update: (p) => {
      latest = p;
      if (bar) return bar.update(p.position);
      bar = new SingleBar({
        stream: process.stderr,
        format: () => line(latest!),
        fps: 10,
        noTTYOutput: true,
        notTTYSchedule: 1000,
        clearOnComplete: !tty, // a pipe already has the last line; a terminal keeps it and moves on
        hideCursor: false,
        gracefulExit: false,
      });
      bar.start(p.head, p.position);
    },
    done: () => bar?.stop(),
  };
}
