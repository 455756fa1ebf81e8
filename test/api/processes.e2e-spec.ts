import { ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtEntry, freePort, ROOT } from './support/built-apps';

/** The built processes as an operator runs them: `node dist/apps/<app>/.../main.js` with only environment. */
describe('the built api and worker processes', () => {
  let dataDir: string;
  const children: ChildProcessWithoutNullStreams[] = [];
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'accord-proc-'));
  });
  afterEach(() => {
    for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  const env = (extra: Record<string, string>) => ({
    PATH: process.env.PATH ?? '',
    DATA_DIR: dataDir,
    ...extra,
  });

  function start(app: 'api' | 'worker', extra: Record<string, string>) {
    const child = spawn(process.execPath, [builtEntry(app)], { cwd: ROOT, env: env(extra) });
    children.push(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    /** Resolves with the first stdout line matching, or rejects if the process exits first. */
    const line = (pattern: RegExp) =>
      new Promise<string>((resolve, reject) => {
        const check = () => {
          const found = stdout.split('\n').find((l) => pattern.test(l));
          if (found) resolve(found);
        };
        child.stdout.on('data', check);
        check();
        void exited.then(({ code }) =>
          reject(new Error(`exited ${code} before printing ${pattern}: ${stderr}`)),
        );
      });
    return { child, exited, line, output: () => ({ stdout, stderr }) };
  }

  it('a bad PORT stops the api with one line naming the variable, exit code 1 and no stack trace', () => {
    const r = spawnSync(process.execPath, [builtEntry('api')], {
      cwd: ROOT,
      env: env({ PORT: 'abc' }),
      encoding: 'utf8',
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('accord: invalid configuration: PORT must be an integer 1-65535 (got "abc")\n');
    expect(r.stdout).toBe('');
  });

  it('the api prints one line with its URL, serves /health, and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const api = start('api', { PORT: String(port) });
    const started = await api.line(/listening on/);
    const entry = JSON.parse(started);
    expect(entry).toMatchObject({ level: 'info', url: `http://127.0.0.1:${port}`, mode: 'embedded' });
    expect(entry.msg).toContain(`http://127.0.0.1:${port}`);
    // Nothing else at info before the line: Nest's chatter is at debug.
    expect(api.output().stdout.trim().split('\n')).toHaveLength(1);

    const health = await fetch(`http://127.0.0.1:${port}/health`);
    expect(health.status).toBe(200);

    api.child.kill('SIGTERM');
    expect(await api.exited).toEqual({ code: 0, signal: null });
    expect(api.output().stderr).toBe('');
  });

  it('a second api on the same DATA_DIR is refused in one line: one projector per read.db', async () => {
    const port = await freePort();
    const first = start('api', { PORT: String(port) });
    await first.line(/listening on/);
    const second = spawnSync(process.execPath, [builtEntry('api')], {
      cwd: ROOT,
      env: env({ PORT: String(await freePort()) }),
      encoding: 'utf8',
    });
    expect(second.status).toBe(1);
    expect(second.stderr).toMatch(
      new RegExp(`^accord: cannot start: the read models are in use by process ${first.child.pid} .*\\n$`),
    );
    first.child.kill('SIGTERM');
    expect((await first.exited).code).toBe(0);
  });

  it('the worker prints a start line and exits 0 on SIGTERM', async () => {
    const worker = start('worker', {});
    const started = JSON.parse(await worker.line(/accord worker started/));
    expect(started).toMatchObject({ level: 'info', mode: 'embedded', eventStore: 'sqlite' });
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toEqual({ code: 0, signal: null });
  });
});
