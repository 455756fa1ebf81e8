import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunningApi, startApi } from '../api/support/api-harness';
import { builtEntry, freePort, ROOT } from '../api/support/built-apps';

const ACCORD = join(ROOT, 'bin', 'accord');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Async on purpose: the api under test runs in this process, so a synchronous spawn would block it. */
function accord(env: Record<string, string>, ...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [ACCORD, ...args],
      { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: tmpdir(), XDG_CONFIG_HOME: tmpdir(), ...env } },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number((error as { code?: unknown }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('accord admin init | org | user', () => {
  let dataDir: string;
  let api: RunningApi | undefined;
  let token: string;

  beforeAll(async () => {
    builtEntry('cli');
    dataDir = mkdtempSync(join(tmpdir(), 'accord-admin-cli-'));
  });
  afterAll(async () => {
    await api?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const client = (...args: string[]) => accord({ ACCORD_URL: api!.url, ACCORD_TOKEN: token }, ...args);

  it('init creates the first admin in DATA_DIR, prints its token alone on stdout, and refuses a second time', async () => {
    // No api runs at this URL (init would otherwise wait for it to accept the token: cli-scripting e2e).
    const url = `http://127.0.0.1:${await freePort()}`;
    const first = spawnSync(process.execPath, [ACCORD, 'admin', 'init', '--name', 'Ops'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir, ACCORD_URL: url },
      encoding: 'utf8',
    });
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/^acc_[A-Za-z0-9_-]{43}\n$/);
    expect(first.stderr).toMatch(/shown once/);
    expect(first.stderr).toMatch(/no api answers at http:\/\/127\.0\.0\.1:\d+/);
    token = first.stdout.trim();
    const again = spawnSync(process.execPath, [ACCORD, 'admin', 'init'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir, ACCORD_URL: url },
      encoding: 'utf8',
    });
    expect(again.status).toBe(1);
    expect(again.stdout).toBe('');
    expect(again.stderr).toBe(
      'accord: users already exist: the platform is initialised (admins enrol more admins over the API)\n',
    );
  });

  it('the admin registers and lists organisations, enrols, lists, suspends and reinstates users over the API', async () => {
    api = await startApi({ env: { DATA_DIR: dataDir } });
    const registered = await client(
      'admin',
      'org',
      'register',
      'stoke-cc',
      '--name',
      'Stoke-on-Trent City Council',
      '--kind',
      'local-authority',
      '--jurisdiction',
      'GB-ENG',
      '--ico',
      'Z7654321',
    );
    expect(registered).toEqual({ code: 0, stdout: 'stoke-cc\n', stderr: '' });
    const listed = await client('admin', 'org', 'list');
    expect(listed.stdout).toBe('stoke-cc\tGB-ENG\tlocal-authority\tZ7654321\tStoke-on-Trent City Council\n');

    const enrolled = await client(
      'admin',
      'user',
      'enrol',
      '--org',
      'stoke-cc',
      '--name',
      'Ida Lead',
      '--email',
      'ida@stoke.test.example',
      '--role',
      'ig-lead',
      '--json',
    );
    expect(enrolled.code).toBe(0);
    const { userId, token: userToken } = JSON.parse(enrolled.stdout) as { userId: string; token: string };
    expect(userToken).toMatch(/^acc_/);
    const users = await client('admin', 'user', 'list', '--org', 'stoke-cc');
    expect(users.stdout).toBe(`${userId}\tig-lead\tactive\tnot-accepted\tIda Lead\tida@stoke.test.example\n`);

    const suspended = await client('admin', 'user', 'suspend', userId, '--reason', 'investigation');
    expect(suspended).toMatchObject({ code: 0, stdout: `${userId} suspended\n` });
    const asSuspended = await accord(
      { ACCORD_URL: api.url, ACCORD_TOKEN: userToken },
      'admin',
      'org',
      'list',
    );
    expect(asSuspended.code).toBe(4); // refused by a rule (403)
    expect(asSuspended.stderr).toMatch(/^accord: User suspended: .*\[user\.suspended\]\n$/);
    const reinstated = await client('admin', 'user', 'reinstate', userId, '--reason', 'cleared');
    expect(reinstated).toMatchObject({ code: 0, stdout: `${userId} reinstated\n` });
  });

  it('a refusal is one line from the problem, never a stack, and the exit code is non-zero', async () => {
    const duplicate = await client(
      'admin',
      'org',
      'register',
      'stoke-cc',
      '--name',
      'Again',
      '--kind',
      'local-authority',
      '--jurisdiction',
      'GB-ENG',
      '--ico',
      'Z7654321',
    );
    expect(duplicate.code).toBe(4); // refused by a rule (409)
    expect(duplicate.stderr).toBe(
      'accord: Organisation already registered [organisation.already-registered]\n',
    );
    const invalid = await client(
      'admin',
      'user',
      'enrol',
      '--org',
      'stoke-cc',
      '--name',
      'X',
      '--email',
      'x',
      '--role',
      'chief',
    );
    expect(invalid.code).toBe(2); // usage: the server's 400
    expect(invalid.stderr).toMatch(
      /^accord: Validation failed: .*\(\/email .*; \/role .*\) \[validation-failed\]\n$/,
    );
    const anonymous = await accord(
      { ACCORD_URL: api!.url, ACCORD_TOKEN: 'acc_wrong' },
      'admin',
      'org',
      'list',
    );
    expect(anonymous.code).toBe(3); // not authenticated (401)
    expect(anonymous.stderr).toMatch(/^accord: Authentication required: .*\[auth\.unauthenticated\]\n$/);
    const noToken = await accord({ ACCORD_URL: api!.url }, 'admin', 'org', 'list');
    expect(noToken.code).toBe(3);
    expect(noToken.stderr).toMatch(/^accord: no API token/);
    expect(duplicate.stderr + invalid.stderr + anonymous.stderr).not.toMatch(/\n\s+at /);
  });
});
