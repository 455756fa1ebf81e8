import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtEntry, ROOT } from '../../api/support/built-apps';

export const ACCORD = join(ROOT, 'bin', 'accord');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** Peak resident set size of the CLI process, MiB (when measured). */
  peakRssMiB?: number;
}

export interface CliUser {
  url: string;
  token: string;
  /** Where the CLI keeps private keys; commands that neither encrypt nor decrypt need none. */
  keyring?: string;
  passphrase?: string;
}

/** Builds once if dist/ lacks the CLI; the suites run what ships (bin/accord -> dist). */
export function ensureBuiltCli(): void {
  builtEntry('cli');
}

/**
 * Runs the built `accord` as a separate process, as `user` (ACCORD_URL, ACCORD_TOKEN, ACCORD_KEYRING_DIR,
 * ACCORD_PASSPHRASE), with a clean environment and its own config home so nothing of the machine leaks in.
 * Asynchronous on purpose: the api under test answers from this same process while the CLI runs.
 */
export function accord(
  user: CliUser,
  args: string[],
  options: { measureRss?: boolean; env?: Record<string, string> } = {},
): Promise<CliRun> {
  const home = mkdtempSync(join(tmpdir(), 'accord-cli-home-'));
  const rssFile = join(home, 'peak-rss');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    ACCORD_URL: user.url,
    ACCORD_TOKEN: user.token,
    ...(user.keyring !== undefined ? { ACCORD_KEYRING_DIR: user.keyring } : {}),
    ...(user.passphrase !== undefined ? { ACCORD_PASSPHRASE: user.passphrase } : {}),
    ...(options.measureRss
      ? {
          NODE_OPTIONS: `--require ${join(__dirname, 'peak-rss.preload.js')}`,
          ACCORD_TEST_PEAK_RSS_FILE: rssFile,
        }
      : {}),
    ...options.env,
  };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [ACCORD, ...args], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => stdout.push(c));
    child.stderr.on('data', (c: Buffer) => stderr.push(c));
    child.on('error', reject);
    child.on('close', (code) => {
      const run: CliRun = {
        code: code ?? -1,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
      };
      if (options.measureRss) run.peakRssMiB = Number(readFileSync(rssFile, 'utf8')) / 1024;
      rmSync(home, { recursive: true, force: true });
      resolve(run);
    });
  });
}

/** `share   50.0 MiB in 0.6 s, 85.3 MiB/s` (the --progress summary) -> 85.3 */
export function summaryRate(stderr: string): number | undefined {
  const match = /MiB in [\d.]+ s, ([\d.]+) MiB\/s/.exec(stderr);
  return match ? Number(match[1]) : undefined;
}
