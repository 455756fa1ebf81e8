import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { builtEntry, freePort, ROOT } from '../../api/support/built-apps';

/** The built api as an operator runs it (`node dist/apps/api/src/main.js`), on a given DATA_DIR. */
export interface BuiltApi {
  url: string;
  child: ChildProcessWithoutNullStreams;
  /** Peak resident set size of the api process so far, MiB. */
  peakRssMiB(): number;
  /** SIGTERM, then the exit code (0 for a clean shutdown). */
  stop(): Promise<number | null>;
  output(): string;
}

/**
 * VmHWM of /proc/<pid>/status: the high-water mark of the process's resident memory since exec, so it is
 * the api's own (getrusage of the parent's children would also count every other child it waited for).
 */
export function vmHwmMiB(pid: number): number {
  const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmHWM in /proc/${pid}/status`);
  return Number(match[1]) / 1024;
}

export async function startBuiltApi(dataDir: string, env: Record<string, string> = {}): Promise<BuiltApi> {
  const port = await freePort();
  const child = spawn(process.execPath, [builtEntry('api')], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir, PORT: String(port), ...env },
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const check = () => (/listening on/.test(output) ? resolve() : undefined);
    child.stdout.on('data', check);
    void exited.then((code) => reject(new Error(`api exited ${code} before listening: ${output}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    peakRssMiB: () => vmHwmMiB(child.pid!),
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
