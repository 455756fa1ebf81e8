import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { transformFileSync } from '@swc/core';

/*
 * The embedded scheduler runs inside the api process: a pending retry, a delayed job or the next sweep must
 * never keep that process alive once everything else has finished. Checked for real: the lib is compiled
 * to a temp dir and a child node process starts a scheduler, never stops it, and must exit on its own.
 */
const SRC = join(__dirname, '..', '..');

async function compileLib(out: string): Promise<void> {
  const files = (await readdir(SRC, { recursive: true })).filter(
    (f) =>
      f.endsWith('.ts') && !f.endsWith('.spec.ts') && !f.endsWith('.contract.ts') && !f.includes('bullmq'),
  );
  for (const file of files) {
    const { code } = transformFileSync(join(SRC, file), {
      swcrc: false,
      jsc: { target: 'es2022', parser: { syntax: 'typescript' } },
      module: { type: 'commonjs' },
    });
    const target = join(out, file.replace(/\.ts$/, '.js'));
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, code);
  }
}

const SCRIPT = `
const { InProcessScheduler } = require('./adapters/in-process/in-process.scheduler.js');
const s = new InProcessScheduler({ logger: { warn() {}, error() {} } });
let sweeps = 0;
s.register('sweep', async () => { sweeps++; });
s.register('flaky', () => Promise.reject(new Error('later')), { attempts: 5, backoffMs: 3600000 });
(async () => {
  await s.repeat('sweep', 3600000);
  await s.enqueue('sweep', {}, { jobId: 'much-later', delayMs: 3600000 });
  await s.start();
  await s.enqueue('flaky', {}, { jobId: 'f-1' });
  await new Promise((r) => setTimeout(r, 50));
  process.stdout.write('started ' + sweeps + ' ' + (await s.health()).state);
})();
`;

describe('InProcessScheduler in a process of its own', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'accord-jobs-exit-'));
    await compileLib(dir);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('lets the process exit while a sweep, a delayed job and a retry are still scheduled', async () => {
    const child = spawn(process.execPath, ['-e', SCRIPT], { cwd: dir });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    const [code, signal] = await new Promise<[number | null, string | null]>((resolve) =>
      child.on('exit', (c, s) => resolve([c, s])),
    );
    clearTimeout(killer);
    expect({ code, signal, out }).toEqual({ code: 0, signal: null, out: 'started 1 running' });
  });
});
