import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { SqliteEventStore } from '@accord/event-store';
import { AppLogger, Clock, loadConfig, Metrics } from '@accord/platform';
import { makeEvents, streamId } from '../../../../../libs/event-store/src/event-store.contract';
import {
  postgresUnavailable,
  PostgresTestServer,
  startPostgresTestServer,
} from '../../../../../libs/event-store/src/adapters/postgres/postgres.test-server';
import { Checkpoints } from './checkpoints.service';
import { PostgresSignerLease } from './signer-lease';

/**
 * One checkpoint signer among several api nodes (docs/architecture.md §38), against a real PostgreSQL
 * started here: exactly one lease holder at a time, and a holder whose session dies (as a SIGKILLed node's
 * does) is replaced by the next node that asks.
 */
const unavailable = postgresUnavailable();
if (unavailable) console.warn(`signer lease suite skipped: ${unavailable}`);
const suite = unavailable ? describe.skip : describe;

suite('checkpoint signer lease (real PostgreSQL)', () => {
  let server: PostgresTestServer;
  let url: string;
  const logger = AppLogger.create('silent');
  const open: PostgresSignerLease[] = [];
  const lease = () => {
    const l = new PostgresSignerLease(url, logger);
    open.push(l);
    return l;
  };

  beforeAll(async () => {
    server = await startPostgresTestServer({ durable: false });
    url = await server.createDatabase();
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((l) => l.close()));
  });
  afterAll(() => server?.stop());

  const holders = async (leases: PostgresSignerLease[]) => {
    const held = await Promise.all(leases.map((l) => l.holds()));
    return leases.filter((_, i) => held[i]);
  };

  it('one of three nodes holds it, every time they ask; closing it hands it on', async () => {
    const nodes = [lease(), lease(), lease()];
    const first = await holders(nodes);
    expect(first).toHaveLength(1);
    for (let round = 0; round < 3; round++) expect(await holders(nodes)).toEqual(first);
    await first[0]!.close();
    const rest = nodes.filter((n) => n !== first[0]);
    const next = await holders(rest);
    expect(next).toHaveLength(1);
    expect(await first[0]!.holds()).toBe(false);
    expect(await holders(nodes)).toEqual(next);
  });

  it('a holder whose session is killed stops signing and another node takes over', async () => {
    const [a, b] = [lease(), lease()];
    expect(await a.holds()).toBe(true);
    expect(await b.holds()).toBe(false);
    // What a SIGKILLed node leaves behind: its backend goes away with its socket.
    const admin = new Client({ connectionString: url });
    await admin.connect();
    try {
      const { rowCount } = await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
          WHERE application_name = 'accord-checkpoint-signer' AND pid IN
            (SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted)`,
      );
      expect(rowCount).toBe(1);
    } finally {
      await admin.end();
    }
    // The lock went with a's session: the next node to ask takes it, and a, reconnecting, no longer has it.
    expect(await b.holds()).toBe(true);
    expect(await a.holds()).toBe(false);
    expect(await holders([a, b])).toEqual([b]);
  });

  it('two nodes over one shared log: only the lease holder signs a checkpoint', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'accord-signer-'));
    const store = new SqliteEventStore({ file: join(dir, 'events.db') });
    try {
      const config = loadConfig(
        {
          DATA_DIR: dir,
          ACCORD_CHECKPOINT_KEY: randomBytes(32).toString('base64'),
          ACCORD_CHECKPOINT_INTERVAL_MS: '0',
          LOG_LEVEL: 'silent',
        },
        dir,
      );
      const node = () => new Checkpoints(store, config, new Clock(), logger, lease(), new Metrics());
      const [a, b] = [node(), node()];
      await store.append(streamId(), makeEvents(3), 'no-stream');
      const signed = await Promise.all([a.signIfGrown(), b.signIfGrown()]);
      expect(signed.filter((c) => c !== undefined)).toHaveLength(1);
      expect(await store.checkpoints()).toHaveLength(1);
      // The other node answers with the signer's checkpoint.
      const latest = await Promise.all([a.latest(), b.latest()]);
      expect(latest[0]?.note).toBe(latest[1]?.note);
      expect(latest[0]?.size).toBe(3);
      await a.onApplicationShutdown();
      await b.onApplicationShutdown();
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
