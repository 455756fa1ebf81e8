import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

/**
 * A throwaway PostgreSQL cluster for tests and benchmarks (never for production): initdb into a temp
 * directory, postgres listening on 127.0.0.1 on a free port (and a unix socket in the same directory),
 * trust authentication, stopped and deleted by stop(). Real PostgreSQL from the machine's packages
 * (Debian's `postgresql`, /usr/lib/postgresql/<major>/bin), never a fake: a caller with no server binary
 * gets `undefined` from findPostgresBin() and skips with the reason printed (docs/architecture.md §20.8).
 *
 * postgres refuses to run as root, so as root the cluster is owned by and run as the `postgres` user
 * (Debian's package creates it), or `nobody`; otherwise it runs as the caller.
 */
export interface PostgresTestServer {
  /** `postgres://accord@127.0.0.1:<port>/postgres`: the superuser's URL for the default database. */
  readonly url: string;
  readonly port: number;
  readonly dir: string;
  /** The URL of a new empty database (CREATE DATABASE on this server). */
  createDatabase(name?: string): Promise<string>;
  stop(): Promise<void>;
}

export interface PostgresTestServerOptions {
  /**
   * fsync and synchronous_commit, on by default so commits cost what they cost in production (the crash
   * suite and the benchmarks rely on that); off only where a suite measures nothing durable.
   */
  durable?: boolean;
  /** Extra `-c name=value` server settings. */
  settings?: Record<string, string>;
}

const SUPERUSER = 'accord';
const READY_TIMEOUT_MS = 30_000;
let databases = 0;

/** The newest installed PostgreSQL's bin directory, or undefined when none is installed. */
export function findPostgresBin(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const majors = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'postgres')))
    .sort((a, b) => Number(b) - Number(a));
  return majors.length > 0 ? join(root, majors[0]!, 'bin') : undefined;
}

/** Why no test server can start here, or undefined when one can. */
export function postgresUnavailable(): string | undefined {
  if (!findPostgresBin())
    return 'no PostgreSQL server binary in /usr/lib/postgresql/*/bin (apt-get install postgresql)';
  if (process.getuid?.() === 0 && !runAsUser())
    return 'running as root and no `postgres` or `nobody` user to run postgres as';
  return undefined;
}

export async function startPostgresTestServer(
  options: PostgresTestServerOptions = {},
): Promise<PostgresTestServer> {
  const bin = findPostgresBin();
  if (!bin) throw new Error(postgresUnavailable());
  const dir = await mkdtemp(join(tmpdir(), 'accord-pg-'));
  const data = join(dir, 'data');
  const user = process.getuid?.() === 0 ? runAsUser() : undefined;
  if (process.getuid?.() === 0 && !user) throw new Error(postgresUnavailable());
  if (user) chownSync(dir, user.uid, user.gid);
  const ids = user ? { uid: user.uid, gid: user.gid } : {};
  execFileSync(
    join(bin, 'initdb'),
    [
      '-D',
      data,
      '-U',
      SUPERUSER,
      '--auth=trust',
      '-E',
      'UTF8',
      '--locale=C',
      '--no-sync',
      '--no-instructions',
    ],
    { ...ids, stdio: 'pipe', cwd: dir },
  );
  const durable = options.durable ?? true;
  const settings: Record<string, string> = {
    listen_addresses: '127.0.0.1',
    unix_socket_directories: dir,
    fsync: durable ? 'on' : 'off',
    synchronous_commit: durable ? 'on' : 'off',
    full_page_writes: durable ? 'on' : 'off',
    max_connections: '200',
    shared_buffers: '64MB',
    log_min_messages: 'fatal',
    ...options.settings,
  };
  // A port found free may be taken before postgres binds it: try a few.
  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const args = ['-D', data, '-p', String(port)];
    for (const [k, v] of Object.entries(settings)) args.push('-c', `${k}=${v}`);
    const child = spawn(join(bin, 'postgres'), args, {
      ...ids,
      cwd: dir,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let log = '';
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (log = (log + chunk).slice(-4000)));
    // A test process that dies without stop() leaves neither a server nor its files behind (best effort).
    const killOnExit = (): void => {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    };
    process.once('exit', killOnExit);
    const url = `postgres://${SUPERUSER}@127.0.0.1:${port}/postgres`;
    try {
      await waitReady(url, child, () => log);
    } catch (error) {
      lastError = error;
      process.off('exit', killOnExit);
      await stopChild(child);
      continue;
    }
    const server: PostgresTestServer = {
      url,
      port,
      dir,
      async createDatabase(name = `accord_test_${process.pid}_${++databases}`) {
        await withClient(url, (c) => c.query(`CREATE DATABASE "${name.replace(/"/g, '')}"`));
        return `postgres://${SUPERUSER}@127.0.0.1:${port}/${encodeURIComponent(name)}`;
      },
      async stop() {
        process.off('exit', killOnExit);
        await stopChild(child);
        await rm(dir, { recursive: true, force: true });
      },
    };
    return server;
  }
  await rm(dir, { recursive: true, force: true });
  throw lastError instanceof Error ? lastError : new Error('postgres did not start');
}

function runAsUser(): { uid: number; gid: number } | undefined {
  let passwd: string;
  try {
    passwd = readFileSync('/etc/passwd', 'utf8');
  } catch {
    return undefined;
  }
  for (const name of ['postgres', 'nobody']) {
    const line = passwd.split('\n').find((l) => l.startsWith(`${name}:`));
    const [, , uid, gid] = line?.split(':') ?? [];
    if (uid && gid) return { uid: Number(uid), gid: Number(gid) };
  }
  return undefined;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function waitReady(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let exited = false;
  child.once('exit', () => (exited = true));
  for (;;) {
    if (exited) throw new Error(`postgres exited during start-up: ${log()}`);
    try {
      await withClient(url, (c) => c.query('SELECT 1'));
      return;
    } catch (error) {
      if (Date.now() > deadline)
        throw new Error(`postgres not ready after ${READY_TIMEOUT_MS} ms: ${log()}`, { cause: error });
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

async function withClient<T>(url: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Fast shutdown (SIGINT: abort sessions, checkpoint, exit); SIGKILL if it takes too long. */
function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGINT');
  });
}
