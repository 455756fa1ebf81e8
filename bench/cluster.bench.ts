import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { PostgresEventStore } from '@accord/event-store';
import { initPlatformAdmin } from '../apps/cli/src/commands/admin-init';
import {
  postgresUnavailable,
  startPostgresTestServer,
} from '../libs/event-store/src/adapters/postgres/postgres.test-server';
import {
  Phase,
  PhaseContext,
  Workload,
  collectGarbage,
  compare,
  figure,
  interleaved,
  notRun,
  scaled,
  timedInFlight,
} from './harness';
import {
  BuiltApi,
  initAdmin,
  keepAliveAgent,
  multipartBody,
  MULTIPART_TYPE,
  ok,
  send,
  startBuiltApi,
} from './share-api';
import { benchKeys, seedPartnership, shareMetadata } from './share-partnership';
import { ClientEncryptor, ClientKeys, pseudoRandomBytes } from './share-payloads';

/**
 * (q) Several api nodes on PostgreSQL against the embedded default, in the same run (issue 16,
 * docs/architecture.md §38, docs/scaling.md):
 *
 * - appends: 16 writers appending one durable event at a time, through 3 nodes (3 connection pools, each
 *   with its own group commit) on one PostgreSQL, beside the SQLite adapter;
 * - shares: pre-encrypted 4 KiB POST /documents through 1 built api on SQLite (embedded), 1 built api on
 *   PostgreSQL, and 3 built apis on PostgreSQL at once, PER_NODE requests in flight on each node.
 *
 * Every api keeps its object store on its own local disk (DATA_DIR/objects): this measures the api and the
 * shared event store, not an S3 server (s3rver, the only one here, is a JavaScript stand-in whose speed says
 * nothing about S3). All processes, PostgreSQL included, share the machine's cores.
 */

const WRITERS = 16;
const PER_NODE = 8;
const WARM_UP = 50;
const POOL = 32;

interface SharesArgs {
  dir: string;
  count: number;
  /** 0: one embedded api (SQLite); n: n apis on the PostgreSQL database at `url`. */
  nodes: number;
  url: string;
  keys: ClientKeys & { senderPublic: string };
  [k: string]: unknown;
}

async function startNodes(
  args: SharesArgs,
): Promise<{ apis: BuiltApi[]; admin: string; head: () => Promise<number> }> {
  const dataDir = () => mkdtempSync(join(args.dir, 'cluster-node-'));
  if (args.nodes === 0) {
    const dir = dataDir();
    const admin = await initAdmin(dir);
    return { apis: [await startBuiltApi(dir)], admin, head: async () => 0 };
  }
  const store = new PostgresEventStore({ connectionString: args.url, poolSize: 1 });
  const platformSecret = randomBytes(32).toString('hex');
  const admin = (
    await initPlatformAdmin(store, { name: 'Bench Admin', email: 'admin@bench.example', platformSecret })
  ).token;
  const env = {
    POSTGRES_URL: args.url,
    PLATFORM_SECRET: platformSecret,
    ACCORD_CHECKPOINT_KEY: randomBytes(32).toString('base64'),
  };
  // The first node creates the schema; the others join it.
  const apis = [await startBuiltApi(dataDir(), env)];
  apis.push(
    ...(await Promise.all(Array.from({ length: args.nodes - 1 }, () => startBuiltApi(dataDir(), env)))),
  );
  // A node is ready before its read models hold the admin written straight into the store: without this
  // wait the first seeding request could meet a 401 (it did, 2026-12-07, on a quiet machine).
  const created = String(await store.headPosition());
  for (const api of apis)
    await ok(200, send(api.url, 'GET', '/health/live', { headers: { 'accord-min-position': created } }));
  return {
    apis,
    admin,
    head: async () => {
      const h = await store.headPosition();
      await store.close();
      return h;
    },
  };
}

const shares: Phase = async (ctx: PhaseContext) => {
  const args = ctx.args as unknown as SharesArgs;
  const { apis, admin, head } = await startNodes(args);
  try {
    const p = await seedPartnership(apis[0]!.url, admin, {
      sender: args.keys.senderPublic,
      recipient: args.keys.recipientPublic,
    });
    // Every node has taken the partnership in before it is asked to share under it (§38 read-your-writes).
    const seeded = String(await head());
    for (const api of apis)
      await ok(200, send(api.url, 'GET', '/health/live', { headers: { 'accord-min-position': seeded } }));
    const encryptor = await ClientEncryptor.create(args.keys);
    const sealed = await Promise.all(
      Array.from({ length: POOL }, (_, i) => encryptor.encrypt(pseudoRandomBytes(4096, `cluster-${i}`))),
    );
    const agents = apis.map(() => keepAliveAgent(PER_NODE));
    const share = async (i: number) => {
      const node = i % apis.length;
      const r = await send(apis[node]!.url, 'POST', '/documents', {
        token: p.senderToken,
        body: multipartBody(shareMetadata(p, `Cluster bench ${i}`), sealed[i % POOL]!),
        headers: { 'content-type': MULTIPART_TYPE },
        agent: agents[node]!,
      });
      if (r.status !== 201)
        throw new Error(`share ${i} on node ${node}: ${r.status} ${JSON.stringify(r.body)}`);
    };
    const inFlight = PER_NODE * apis.length;
    await timedInFlight(inFlight, WARM_UP * apis.length, share);
    collectGarbage();
    const cpu = apis.map((a) => a.cpuSeconds());
    const seconds = await timedInFlight(inFlight, args.count, share, WARM_UP * apis.length);
    const apiCpuMsPerShare =
      Math.round((apis.reduce((n, a, i) => n + a.cpuSeconds() - cpu[i]!, 0) * 1000 * 100) / args.count) / 100;
    for (const a of agents) a.destroy();
    const peakRssMb = Math.max(...apis.map((a) => a.peakRssMib()));
    return { ops: args.count, seconds, peakRssMb, info: { apiCpuMsPerShare } };
  } finally {
    await Promise.all(apis.map((a) => a.stop()));
  }
};

export const cluster: Workload = {
  name: 'cluster',
  title: '(q) Several api nodes: appends and shares through 3 nodes on PostgreSQL vs the embedded default',
  goal: 'measure (no goal set): what a second and third node add on one machine, and PostgreSQL against SQLite',
  phases: { shares },
  async run(ctx) {
    const unavailable = postgresUnavailable();
    if (unavailable) return notRun(this, unavailable);
    const server = await startPostgresTestServer();
    try {
      const repeats = ctx.scale >= 1 ? 3 : 1;
      const perWriter = scaled(300, ctx.scale, 30);
      const count = scaled(600, ctx.scale, 100);
      const keys = await benchKeys();
      const dbs = async () => {
        const out: string[] = [];
        for (let r = 0; r < repeats; r++) out.push(await server.createDatabase());
        return out;
      };
      const [appendDbs, oneDbs, threeDbs] = [await dbs(), await dbs(), await dbs()];
      const [pgAppends] = await interleaved(ctx, 'postgres', repeats, [
        {
          phase: 'concurrent',
          label: '3 nodes, 16 writers',
          args: (r) => ({ url: appendDbs[r]!, perWriter, nodes: 3 }),
        },
      ]);
      const [sqliteAppends] = await interleaved(ctx, 'concurrent', repeats, [
        { phase: 'adapter', args: (r) => ({ file: join(ctx.dir, `cluster-sqlite-${r}.db`), perWriter }) },
      ]);
      const base = { dir: ctx.dir, count, keys };
      const [embedded, one, three] = await interleaved(ctx, 'cluster', repeats, [
        { phase: 'shares', label: 'embedded, 1 api', args: () => ({ ...base, nodes: 0, url: '' }) },
        { phase: 'shares', label: 'postgres, 1 api', args: (r) => ({ ...base, nodes: 1, url: oneDbs[r]! }) },
        {
          phase: 'shares',
          label: 'postgres, 3 apis',
          args: (r) => ({ ...base, nodes: 3, url: threeDbs[r]! }),
        },
      ]);
      const f = {
        pgAppends: figure(
          'appends: postgres, 3 nodes (3 pools), 16 writers, one durable event each',
          pgAppends!,
        ),
        sqliteAppends: figure('appends: sqlite adapter, same 16 writers, same disk', sqliteAppends!),
        embedded: figure(`shares: 1 api, embedded (SQLite), ${PER_NODE} in flight`, embedded!, 'shares/s'),
        one: figure(`shares: 1 api on PostgreSQL, ${PER_NODE} in flight`, one!, 'shares/s'),
        three: figure(`shares: 3 apis on one PostgreSQL, ${PER_NODE} in flight each`, three!, 'shares/s'),
      };
      const cpu = (rs: typeof embedded) => {
        const xs = rs!.map((r) => Number(r.info?.apiCpuMsPerShare)).sort((a, b) => a - b);
        return xs[Math.floor((xs.length - 1) / 2)]!;
      };
      return {
        name: this.name,
        title: this.title,
        goal: this.goal,
        figures: [f.pgAppends, f.sqliteAppends, f.embedded, f.one, f.three],
        comparisons: [
          compare('appends: postgres 3 nodes vs sqlite', f.pgAppends, f.sqliteAppends, 'slowdown'),
          compare('shares: 1 api on postgres vs embedded', f.one, f.embedded, 'slowdown'),
          compare('shares: 3 apis on postgres vs 1 embedded api', f.three, f.embedded, 'speedup'),
          compare('shares: 3 apis vs 1 api, both on postgres', f.three, f.one, 'speedup'),
        ],
        notes: [
          `Appends: ${WRITERS} writers, ${perWriter} timed appends each (the (p) and (d) workloads' own phases), a fresh database per run on one local PostgreSQL 15 (fsync on).`,
          `Shares: ${count} timed pre-encrypted 4 KiB shares after ${WARM_UP} per node untimed, spread round-robin over the nodes, ${PER_NODE} in flight per node; each built api in its own process (LOG_LEVEL info), its object store on its own DATA_DIR.`,
          `api CPU per share, all api processes together (median): embedded ${cpu(embedded)} ms, 1 api on postgres ${cpu(one)} ms, 3 apis on postgres ${cpu(three)} ms. ` +
            'Every api projects every share into its own read models, so the cluster spends that work once per node.',
          'One machine holds every api, the client and PostgreSQL: a third node adds processes, not cores, so the 3-node figure is a floor for three machines, not a forecast.',
        ],
      };
    } finally {
      await server.stop();
    }
  },
};
