import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { join } from 'node:path';
import { RecordedEvent, SqliteEventStore } from '@accord/event-store';
import { FilesystemObjectStore } from '@accord/object-store';
import { builtEntry, ROOT } from './built-apps';

export interface BuiltApi {
  child: ChildProcessWithoutNullStreams;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves once the api logs that it listens; rejects if it exits first. */
  listening: Promise<void>;
  output(): string;
}

/** The built api as an operator runs it, on a given DATA_DIR, with only PATH from this environment. */
export function startBuiltApi(dataDir: string, port: number, extra: Record<string, string> = {}): BuiltApi {
  const child = spawn(process.execPath, [builtEntry('api')], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir, PORT: String(port), ...extra },
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const listening = new Promise<void>((resolve, reject) => {
    const check = () => (/listening on/.test(output) ? resolve() : undefined);
    child.stdout.on('data', check);
    void exited.then(({ code }) => reject(new Error(`api exited ${code} before listening: ${output}`)));
  });
  return { child, exited, listening, output: () => output };
}

/** Reads the stores the way an auditor would after the fact, with no api running. */
export async function inspectStores(
  dataDir: string,
): Promise<{ events: RecordedEvent[]; objects: string[] }> {
  const store = new SqliteEventStore({ file: join(dataDir, 'events.db') });
  const events: RecordedEvent[] = [];
  for await (const page of store.readAll()) events.push(...page);
  await store.close();
  const objects: string[] = [];
  for await (const o of new FilesystemObjectStore({ dir: join(dataDir, 'objects') }).list('documents/'))
    objects.push(o.key);
  return { events, objects: objects.sort() };
}
