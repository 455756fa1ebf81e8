import {
  EventStore,
  isVerifiableLog,
  KurrentDbEventStore,
  NoteSigner,
  parseVerifierKey,
  PostgresEventStore,
  RecordedEvent,
  SqliteEventStore,
  verifyEventStore,
  verifyLog,
} from '@accord/event-store';
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { uuidv7 } from '../../libs/event-store/src/ids';
import {
  postgresUnavailable,
  PostgresTestServer,
  startPostgresTestServer,
} from '../../libs/event-store/src/adapters/postgres/postgres.test-server';

/**
 * Kills a process that appends to an event store with SIGKILL at random moments, 20 times on the same store,
 * and checks that every append it acknowledged (printed only after its promise resolved) is stored at the
 * position it was given, and that every hash chain (and, where the store keeps it, the Merkle tree) still
 * verifies. Appends run concurrently in the child,
 * so kills land inside group-commit batches too. One case per adapter: SQLite (a file) and PostgreSQL (a real
 * server started here; the client is what is killed, mid-transaction) keep gap-free positions; KurrentDB (a
 * server at KURRENTDB_URL, which `npm run test:kurrentdb` starts; skipped without one) gives log offsets, so
 * there positions must rise strictly and each acknowledged append's last event sit at the acknowledged one.
 */

const ROOT = resolve(__dirname, '../..');
const CHILD = join(__dirname, 'append-until-killed.child.js');
const SOURCE = join(ROOT, 'libs/event-store/src');
// `npm run build` strips the leading folder today (dist/event-store/...); accept the full path as well.
const BUILT = ['dist/libs/event-store/src', 'dist/event-store/src'].map((d) => join(ROOT, d));
const ADAPTER = 'adapters/postgres/postgres.event-store.js';
const KILLS = 20;

interface Ack {
  s: string;
  ids: string[];
  p: number;
  r: number;
}

/** The built library, building it when it is missing or older than its sources. */
function builtLib(): string {
  const newestSource = newestMtime(SOURCE);
  const fresh = () =>
    BUILT.find((d) => existsSync(join(d, ADAPTER)) && statSync(join(d, ADAPTER)).mtimeMs >= newestSource);
  let dir = fresh();
  if (!dir) {
    execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
    dir = fresh();
  }
  if (!dir) throw new Error(`npm run build did not produce ${ADAPTER}`);
  return dir;
}

/** What the child loads: the library's own files and the adapters. */
function newestMtime(
  dir: string,
  into: string[][] = [['adapters'], ['sqlite', 'postgres', 'kurrentdb']],
): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (into[0]?.includes(entry.name)) newest = Math.max(newest, newestMtime(path, into.slice(1)));
    } else if (entry.name.endsWith('.ts') && !/\.(spec|contract)\.ts$/.test(entry.name)) {
      newest = Math.max(newest, statSync(path).mtimeMs);
    }
  }
  return newest;
}

/** Runs the child until a random moment (sometimes before its first ack), SIGKILLs it, returns its acks. */
async function runOnce(lib: string, adapter: string, target: CrashTarget): Promise<Ack[]> {
  const child = spawn(process.execPath, [CHILD, lib, adapter, target.target, target.prefix], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<{ code: number | null; signal: string | null }>((done) =>
    child.on('exit', (code, signal) => done({ code, signal })),
  );
  if (Math.random() < 0.8) await firstAck(child, () => out);
  await new Promise((r) => setTimeout(r, Math.random() * 300));
  child.kill('SIGKILL');
  const { code, signal } = await exited;
  if (signal !== 'SIGKILL') throw new Error(`the child ended by itself (code ${code}): ${err}`);
  // A line cut short by the kill was never acknowledged.
  return out
    .split('\n')
    .slice(0, -1)
    .map((line) => JSON.parse(line) as Ack);
}

function firstAck(child: ChildProcess, output: () => string): Promise<void> {
  return new Promise((done) => {
    const check = () => {
      if (output().includes('\n')) {
        child.stdout!.off('data', check);
        done();
      }
    };
    child.stdout!.on('data', check);
    child.on('exit', () => done());
  });
}

interface CrashTarget {
  /** What the child opens: the database file, the PostgreSQL or the KurrentDB URL. */
  target: string;
  /** The child's streams are `<prefix>own-0..5` and `<prefix>shared`. */
  prefix: string;
  open(): EventStore;
  cleanup(): Promise<void>;
}

const KURRENTDB_URL = process.env.KURRENTDB_URL;

/**
 * Every adapter the suite runs against, with why it is skipped where it cannot run. `positions`: gap-free
 * (1, 2, 3, ...; an append of n events acknowledged at p holds p-n+1..p) or rising (log offsets; the append's
 * last event at p, its others before it).
 */
const ADAPTERS: {
  name: string;
  skip?: string;
  positions: 'gap-free' | 'rising';
  setUp(dir: string): Promise<CrashTarget>;
}[] = [
  {
    name: 'sqlite',
    positions: 'gap-free',
    async setUp(dir) {
      const file = join(dir, 'events.db');
      return {
        target: file,
        prefix: 'crash-',
        open: () => new SqliteEventStore({ file }),
        cleanup: async () => undefined,
      };
    },
  },
  {
    name: 'postgres',
    positions: 'gap-free',
    skip: postgresUnavailable(),
    async setUp() {
      const server: PostgresTestServer = await startPostgresTestServer();
      const url = await server.createDatabase();
      return {
        target: url,
        prefix: 'crash-',
        open: () => new PostgresEventStore({ connectionString: url }),
        cleanup: () => server.stop(),
      };
    },
  },
  {
    name: 'kurrentdb',
    positions: 'rising',
    skip: KURRENTDB_URL
      ? undefined
      : 'KURRENTDB_URL is not set (npm run test:kurrentdb starts a server with Docker and sets it)',
    async setUp() {
      // The server outlives the test and may hold earlier runs: this run's streams have their own prefix, and
      // the store reads $all through it, so only they are counted and verified.
      const prefix = `crash${uuidv7().replace(/-/g, '')}-`;
      return {
        target: KURRENTDB_URL!,
        prefix,
        open: () =>
          new KurrentDbEventStore({ connectionString: KURRENTDB_URL!, streamPrefixFilter: [prefix] }),
        cleanup: async () => undefined,
      };
    },
  },
];

for (const adapter of ADAPTERS) {
  if (adapter.skip) console.warn(`crash suite for ${adapter.name} skipped: ${adapter.skip}`);
}

describe.each(ADAPTERS)('$name event store under SIGKILL', (adapter) => {
  let dir: string;
  let target: CrashTarget | undefined;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'accord-crash-'));
  });
  afterAll(async () => {
    await target?.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  (adapter.skip ? it.skip : it)(
    'keeps every acknowledged append at its acknowledged position, with intact chains, across 20 kills',
    async () => {
      const lib = builtLib();
      target = await adapter.setUp(dir);
      const acks: Ack[] = [];
      let runsWithAcks = 0;
      for (let i = 0; i < KILLS; i++) {
        const run = await runOnce(lib, adapter.name, target);
        acks.push(...run);
        if (run.length > 0) runsWithAcks++;
      }
      expect(runsWithAcks).toBeGreaterThan(KILLS / 2);

      const store = target.open();
      try {
        const byId = new Map<string, RecordedEvent>();
        let previous = 0;
        for await (const page of store.readAll()) {
          for (const e of page) {
            // Positions stay 1-based and gap-free through crash recovery (or, as log offsets, rise).
            if (adapter.positions === 'gap-free') expect(e.position).toBe(previous + 1);
            else expect(e.position).toBeGreaterThan(previous);
            previous = e.position;
            byId.set(e.eventId, e);
          }
        }
        const lost: string[] = [];
        for (const ack of acks) {
          const n = ack.ids.length;
          let before = 0;
          ack.ids.forEach((id, k) => {
            const e = byId.get(id);
            const last = k === n - 1;
            const want = {
              streamId: ack.s,
              position:
                adapter.positions === 'gap-free' || last ? ack.p - (n - 1) + k : `> ${before}, < ${ack.p}`,
              revision: ack.r - (n - 1) + k,
            };
            const positionOk =
              typeof want.position === 'number'
                ? e?.position === want.position
                : e !== undefined && e.position > before && e.position < ack.p;
            if (e) before = e.position;
            if (!e || e.streamId !== want.streamId || !positionOk || e.revision !== want.revision) {
              const got = e && { streamId: e.streamId, position: e.position, revision: e.revision };
              lost.push(
                `${id}: acknowledged ${JSON.stringify(want)}, stored ${JSON.stringify(got ?? 'nothing')}`,
              );
            }
          });
        }
        expect({ lost: lost.length, first: lost.slice(0, 5) }).toEqual({ lost: 0, first: [] });
        const report = await verifyEventStore(store);
        expect(report).toMatchObject({ ok: true, eventsChecked: byId.size, streams: 7 });
        // Where the store keeps the Merkle tree in its append transaction (SQLite, PostgreSQL), a kill never
        // leaves a leaf without its event or an event without its leaf.
        if (adapter.positions === 'gap-free') {
          if (!isVerifiableLog(store)) throw new Error(`the ${adapter.name} store keeps no Merkle tree`);
          const key = parseVerifierKey(new NoteSigner('accord.test/crash', Buffer.alloc(32, 9)).verifierKey);
          const log = await verifyLog(store, { key });
          expect(log).toMatchObject({ ok: true, problems: [], leaves: byId.size, treeSize: byId.size });
        }
      } finally {
        await store.close();
      }
    },
    120_000,
  );
});
