import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { freePort } from '../../api/support/built-apps';
import { startBuiltApi as startProcess } from '../../api/support/built-process';

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
  const api = startProcess(dataDir, port, env);
  await api.listening;
  return {
    url: `http://127.0.0.1:${port}`,
    child: api.child,
    peakRssMiB: () => vmHwmMiB(api.child.pid!),
    output: api.output,
    async stop() {
      if (api.child.exitCode === null && api.child.signalCode === null) api.child.kill('SIGTERM');
      return (await api.exited).code;
    },
  };
}
