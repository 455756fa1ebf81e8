import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { join } from 'node:path';
import { RecordedEvent, SqliteEventStore } from '@accord/event-store';
import { FilesystemObjectStore } from '@accord/object-store';
import { builtEntry, ROOT } from './built-apps';

export interface BuiltProcess {
  child: ChildProcessWithoutNullStreams;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Everything it wrote, stdout and stderr. */
  output(): string;
}

export interface BuiltApi extends BuiltProcess {
  /** Resolves once the api logs that it listens; rejects if it exits first. */
  listening: Promise<void>;
}

/** A built app as an operator runs it, with only PATH from this environment. */
export function startBuilt(app: 'api' | 'worker', env: Record<string, string>): BuiltProcess {
  const child = spawn(process.execPath, [builtEntry(app)], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, exited, output: () => output };
}

/** The built api on a given DATA_DIR and port. */
export function startBuiltApi(dataDir: string, port: number, extra: Record<string, string> = {}): BuiltApi {
  const api = startBuilt('api', { DATA_DIR: dataDir, PORT: String(port), ...extra });
  const listening = new Promise<void>((resolve, reject) => {
    const check = () => (/listening on/.test(api.output()) ? resolve() : undefined);
    api.child.stdout.on('data', check);
    void api.exited.then(({ code }) =>
      reject(new Error(`api exited ${code} before listening: ${api.output()}`)),
    );
  });
  return { ...api, listening };
}

/** Reads the stores the way an auditor would after the fact, with no api running. */
export async function inspectStores(
  dataDir: string,
): Promise<{ events: RecordedEvent[]; objects: string[] }> {
  const store = new SqliteEventStore({ file: join(dataDir, 'events.db') });
  const events: RecordedEvent[] = [];
  try {
    for await (const page of store.readAll()) events.push(...page);
  } finally {
    await store.close();
  }
  const objects: string[] = [];
  for await (const o of new FilesystemObjectStore({ dir: join(dataDir, 'objects') }).list('documents/'))
    objects.push(o.key);
  return { events, objects: objects.sort() };
}
