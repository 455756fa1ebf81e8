import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { documentStreamId } from '@accord/domain';
import { RecordedEvent } from '@accord/event-store';
import { openReadDb, rebuildReadModels } from '@accord/projections';
import { productReadModels } from '@accord/platform';
import { ApiClient, Reply, World } from '../authz/world';
import { bucketKeys } from '../documents-minio/support/s3-endpoint';
import { openContent, share } from '../documents/support/documents-partnership';
import { buildPair, DocumentsPair, pairMetadata, pairTerms } from '../documents/support/documents-pair';
import { postgresUnavailable } from '../../libs/event-store/src/adapters/postgres/postgres.test-server';
import { CookieBrowser } from '../sessions/support/browser';
import { ApiNode, Cluster, REGION } from './support/cluster';

/** Logical client operations in the load (each a share, an open on another node, and every few an agreement change). */
const ROUNDS = 36;
const IN_FLIGHT = 4;
/** The node killed with SIGKILL once a third of the load is done, and started again IN_FLIGHT rounds later. */
const VICTIM = 1;
/** Every third share is kept this long, so the retention sweep destroys it while the test watches. */
const SHORT_RETENTION_MS = 4000;
const WAIT_MS = 60_000;

const unavailable = postgresUnavailable();
if (unavailable) console.warn(`cluster suite skipped: ${unavailable}`);
const suite = unavailable ? describe.skip : describe;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Issue 16, docs/architecture.md §38: three api nodes, a worker, PostgreSQL, s3rver and Redis, all real; a
 * client spreading shares, opens on another node than the share's, agreement changes and short-retention
 * documents over the nodes; one node SIGKILLed mid-load and started again. The client does what a real one
 * behind a balancer does: echoes the highest Accord-Position it was answered with, and retries a request
 * the dead node never answered on the next node with the same Idempotency-Key.
 */
suite('cluster: three api nodes on PostgreSQL, S3 and Redis, one killed mid-load', () => {
  let cluster: Cluster;
  let world: World;
  let pair: DocumentsPair;
  /** Highest log position any answer carried: what this client echoes. */
  let seen = 0;
  const acked = { shares: new Map<string, string>(), agreements: new Map<string, string>() };
  const shortLived = new Set<string>();
  const failures: string[] = [];
  let checkpointBeforeKill = '';
  let killedAt = -1;
  /** Requests a dead node did not answer, sent again to the next node. */
  let failovers = 0;
  /** Answers the victim gave after its restart. */
  let answeredAfterRestart = 0;
  let victimBack = false;

  const node = (i: number): ApiNode => cluster.nodes[i % cluster.nodes.length]!;
  const echo = (): Record<string, string> => (seen > 0 ? { 'accord-min-position': String(seen) } : {});
  const note = (headers: Headers): void => {
    const p = Number(headers.get('accord-position') ?? 0);
    if (p > seen) seen = p;
  };

  /**
   * Sends `attempt` to node `start`, and on a connection that fails (the node is dead, or died mid-answer)
   * to the next node, and the next: what a balancer's health check would do a moment later.
   */
  async function anyNode<T extends { status: number; headers: Headers }>(
    start: number,
    attempt: (url: string) => Promise<T>,
  ): Promise<T> {
    for (let tries = 0; ; tries += 1) {
      try {
        const target = node(start + tries);
        const reply = await attempt(target.url);
        // A node restarting may answer 503 until its read models catch up: retry elsewhere.
        if (reply.status === 503 && tries < 20) continue;
        if (victimBack && target.index === VICTIM) answeredAfterRestart += 1;
        note(reply.headers);
        return reply;
      } catch (error) {
        failovers += 1;
        if (tries >= 20) throw error;
        await sleep(50);
      }
    }
  }

  const as = (token: string) => (url: string) => new ApiClient(url, token);

  async function round(k: number): Promise<void> {
    const sender = pair.sender.users.practitioner.token;
    const recipient = pair.recipient.users.practitioner.token;
    // A share on node k, with the same Idempotency-Key on every retry.
    const key = randomUUID();
    const short = k % 3 === 0;
    const metadata = pairMetadata(pair, {
      title: `Cluster document ${k}`,
      ...(short ? { retainUntil: new Date(Date.now() + SHORT_RETENTION_MS).toISOString() } : {}),
    });
    const shared: Reply = await anyNode(k, (url) =>
      share(as(sender)(url), metadata, `cluster body ${k}`, {
        headers: { 'idempotency-key': key, ...echo() },
      }),
    );
    if (shared.status !== 201) return void failures.push(`share ${k}: ${shared.status}`);
    const documentId = shared.body.documentId as string;
    acked.shares.set(key, documentId);
    if (short) shortLived.add(documentId);
    // Opened by the recipient through another node: read-your-writes through the echoed position.
    const opened = await anyNode(k + 1, (url) => openContent(as(recipient)(url), documentId, echo()));
    // A short-lived document may be destroyed before a slow machine opens it: that answer is right too.
    const destroyedFirst =
      short && opened.status === 410 && opened.problem?.type.endsWith('payload-destroyed');
    if ((opened.status !== 200 || opened.bytes.length === 0) && !destroyedFirst)
      failures.push(`open ${k} of ${documentId}: ${opened.status} ${JSON.stringify(opened.problem)}`);
    if (k % 4 === 1) await agreementChange(k);
  }

  /** A new agreement drafted on one node and signed by both leads on the two others. */
  async function agreementChange(k: number): Promise<void> {
    const lead = pair.sender.users['ig-lead'].token;
    const key = randomUUID();
    const drafted = await anyNode(k + 2, (url) =>
      as(lead)(url).request('POST', '/agreements', {
        body: { ...pairTerms(pair.sender.id, [pair.sender.id, pair.recipient.id]), title: `Cluster ${k}` },
        headers: { 'idempotency-key': key, ...echo() },
      }),
    );
    if (drafted.status !== 201) return void failures.push(`draft ${k}: ${drafted.status}`);
    acked.agreements.set(key, drafted.body.id as string);
    for (const [offset, org] of [
      [0, pair.sender],
      [1, pair.recipient],
    ] as const) {
      const signKey = randomUUID();
      const signed = await anyNode(k + offset, (url) =>
        as(org.users['ig-lead'].token)(url).request('POST', `/agreements/${drafted.body.id}/signatures`, {
          body: { signatory: 'Cluster Signatory', position: 'Caldicott Guardian' },
          headers: { 'idempotency-key': signKey, ...echo() },
        }),
      );
      if (signed.status !== 201) failures.push(`sign ${k} by ${org.id}: ${signed.status}`);
    }
  }

  async function signerCheckpoint(): Promise<string> {
    const auditor = pair.sender.users.auditor.token;
    for (const n of cluster.nodes) {
      const metrics = await (await fetch(`${n.url}/metrics`)).text();
      if (!/^accord_checkpoint_signer 1$/m.test(metrics)) continue;
      const reply = await as(auditor)(n.url).request('GET', '/audit/checkpoint', { headers: echo() });
      if (reply.status === 200) return reply.body as string;
    }
    throw new Error('no node is signing checkpoints');
  }

  beforeAll(async () => {
    cluster = await Cluster.start(3, {
      RETENTION_SWEEP_INTERVAL_MS: '500',
      ACCORD_AUTH_FAILURE_BURST_PER_IP: '100000',
    });
    world = await World.at(cluster.nodes[0]!.url, cluster.admin);
    pair = await buildPair(world, world.org('own'), world.org('other'));
    seen = await cluster.store.headPosition();
    // Every node signs in at least once before the load, so the signer lease has been asked for.
    await sleep(1000);
  }, 180_000);
  afterAll(async () => {
    await cluster?.stop();
  });

  it('takes the load with a node SIGKILLed and restarted: nothing acknowledged lost, nothing twice', async () => {
    let next = 0;
    const victim = node(VICTIM);
    let killed: Promise<void> = Promise.resolve();
    let restarted: Promise<void> = Promise.resolve();
    const killAt = Math.floor(ROUNDS / 3);
    const restartAt = killAt + IN_FLIGHT;
    const client = async (): Promise<void> => {
      while (next < ROUNDS) {
        const k = next++;
        if (k === killAt) {
          killed = (async () => {
            checkpointBeforeKill = await signerCheckpoint();
            killedAt = seen;
            await cluster.kill(victim);
          })();
          await killed;
        }
        if (k === restartAt)
          restarted = killed.then(() => cluster.restart(victim)).then(() => void (victimBack = true));
        // The last rounds run with the victim back, so it must take load again, however fast the rest went.
        if (k >= restartAt + IN_FLIGHT) await restarted;
        await round(k);
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, client));
    await restarted;
    expect(failures).toEqual([]);
    expect(acked.shares.size).toBe(ROUNDS);
    expect(killedAt).toBeGreaterThan(0);
    // The kill was felt (requests to the dead node went elsewhere) and the restarted node took load again.
    expect(failovers).toBeGreaterThan(0);
    expect(answeredAfterRestart).toBeGreaterThan(0);

    const events: RecordedEvent[] = [];
    for await (const page of cluster.store.readAll()) events.push(...page);
    // No acknowledged write lost: every share and agreement answered 201 is in the log.
    const sharedDocs = events.filter((e) => e.type === 'DocumentShared').map((e) => e.streamId);
    for (const documentId of acked.shares.values())
      expect(sharedDocs).toContain(documentStreamId(documentId));
    for (const id of acked.agreements.values())
      expect(events.some((e) => e.streamId.endsWith(id) && e.type === 'AgreementDrafted')).toBe(true);
    // No event duplicated: one document per logical share (retries on other nodes included), one draft per
    // logical agreement change, no event id twice, positions strictly increasing.
    expect(new Set(sharedDocs).size).toBe(sharedDocs.length);
    expect(sharedDocs).toHaveLength(acked.shares.size);
    const drafts = events.filter((e) => e.type === 'AgreementDrafted' && /^Cluster /.test(titleOf(e)));
    expect(drafts).toHaveLength(acked.agreements.size);
    expect(new Set(events.map((e) => e.eventId)).size).toBe(events.length);
    expect(events.every((e, i) => i === 0 || e.position > events[i - 1]!.position)).toBe(true);
  }, 300_000);

  it('runs every retention job once: each short-lived document expired and destroyed exactly once', async () => {
    const destroyed = async () => {
      const counts = new Map<string, { expired: number; destroyed: number }>();
      for await (const page of cluster.store.readAll())
        for (const e of page) {
          if (e.type !== 'RetentionExpired' && e.type !== 'PayloadDestroyed') continue;
          const c = counts.get(e.streamId) ?? { expired: 0, destroyed: 0 };
          if (e.type === 'RetentionExpired') c.expired += 1;
          else c.destroyed += 1;
          counts.set(e.streamId, c);
        }
      return counts;
    };
    const deadline = Date.now() + WAIT_MS;
    let counts = await destroyed();
    while ([...shortLived].some((d) => !counts.get(documentStreamId(d))?.destroyed)) {
      if (Date.now() > deadline) throw new Error(`retention did not finish\n${cluster.output()}`);
      await sleep(250);
      counts = await destroyed();
    }
    // A few more sweeps: nothing may be appended twice once the work is done.
    await sleep(1500);
    counts = await destroyed();
    expect(shortLived.size).toBe(ROUNDS / 3);
    for (const d of shortLived) expect(counts.get(documentStreamId(d))).toEqual({ expired: 1, destroyed: 1 });
    // And only they: the other documents are kept (their retention is the agreement's year).
    expect(counts.size).toBe(shortLived.size);
    // In the bucket: every kept document's object, none of the destroyed ones'. An upload the killed node
    // took in without answering leaves an object no event points at: an orphan, swept after ORPHAN_GRACE_MS.
    const objects = new Set(await bucketKeys(cluster.s3.client(REGION), cluster.bucket));
    const keyOf = new Map<string, string>();
    for await (const page of cluster.store.readAll())
      for (const e of page)
        if (e.type === 'DocumentShared') keyOf.set(e.streamId, (e.data as { objectKey: string }).objectKey);
    for (const d of acked.shares.values()) {
      const key = keyOf.get(documentStreamId(d))!;
      expect({ d, stored: objects.has(key) }).toEqual({ d, stored: !shortLived.has(d) });
    }
  }, 120_000);

  it("every node's read models equal a rebuild from the shared log", async () => {
    const head = await cluster.store.headPosition();
    // Each node answers once its read models include the head (the echo makes it wait).
    for (const n of cluster.nodes) {
      const reply = await as(pair.sender.users.auditor.token)(n.url).request('GET', '/me', {
        headers: { 'accord-min-position': String(head) },
      });
      expect(reply.status).toBe(200);
    }
    const dir = mkdtempSync(join(tmpdir(), 'accord-cluster-rebuild-'));
    try {
      const file = join(dir, 'read.db');
      const db = openReadDb(file);
      await rebuildReadModels({ store: cluster.store, db, projections: productReadModels() });
      const tables = tablesOf(db).filter((t) => t !== 'projection_checkpoints');
      const rebuilt = dumpAll(db, tables);
      db.close();
      expect(Object.keys(rebuilt).length).toBeGreaterThan(10);
      expect(rebuilt['stream_heads']!.length).toBeGreaterThan(ROUNDS);
      for (const n of cluster.nodes) {
        const live = new Database(join(n.dataDir, 'read.db'), { readonly: true });
        try {
          expect({ node: n.index, tables: dumpAll(live, tables) }).toEqual({
            node: n.index,
            tables: rebuilt,
          });
        } finally {
          live.close();
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('/audit/verify is ok on every node against the checkpoint taken before the kill', async () => {
    expect(checkpointBeforeKill).toMatch(/\n\d+\n/);
    const auditor = pair.sender.users.auditor.token;
    for (const n of cluster.nodes) {
      const reply = await as(auditor)(n.url).request('POST', '/audit/verify', {
        body: { checkpoint: checkpointBeforeKill },
        headers: echo(),
      });
      expect({ node: n.index, status: reply.status, ok: reply.body.ok, reason: reply.body.reason }).toEqual({
        node: n.index,
        status: 200,
        ok: true,
        reason: undefined,
      });
    }
  }, 120_000);

  it('a browser session started on one node works on another, and signing out on a third ends it everywhere', async () => {
    const user = pair.recipient.users.practitioner;
    const browser = new CookieBrowser(node(0).url);
    const signedIn = await browser.signIn(user.token);
    expect(signedIn.status).toBe(201);
    expect(browser.session).toEqual(expect.any(String));
    const csrf = signedIn.body.csrfToken as string;
    const position = signedIn.headers.get('accord-position')!;
    expect(Number(position)).toBeGreaterThan(0);
    // The same cookie on node 2: the client echoes the sign-in's position, as it would any write's.
    browser.url = node(2).url;
    const there = await browser.send('GET', '/session', { headers: { 'accord-min-position': position } });
    expect([there.status, there.body.user?.id]).toEqual([200, user.userId]);
    // A state change with the cookie on node 1 needs the CSRF token the sign-in on node 0 gave.
    browser.url = node(1).url;
    const out = await browser.send('DELETE', '/session', {
      headers: { 'x-csrf-token': csrf, 'accord-min-position': position },
    });
    expect(out.status).toBeLessThan(300);
    const ended = out.headers.get('accord-position') ?? position;
    const replay = new CookieBrowser(node(0).url);
    replay.cookies.set('accord_session', browser.cookies.get('accord_session') ?? signedInSecret(signedIn));
    const after = await replay.send('GET', '/session', { headers: { 'accord-min-position': ended } });
    expect(after.status).toBe(401);
  });

  it('one node at a time signs checkpoints, and the log has grown past the held one', async () => {
    const signers: number[] = [];
    for (const n of cluster.nodes) {
      const metrics = await (await fetch(`${n.url}/metrics`)).text();
      if (/^accord_checkpoint_signer 1$/m.test(metrics)) signers.push(n.index);
    }
    expect(signers).toHaveLength(1);
    const size = Number(/\n(\d+)\n/.exec(checkpointBeforeKill)![1]);
    expect(await cluster.store.headPosition()).toBeGreaterThan(size);
  });
});

/** The session secret from the sign-in's Set-Cookie (the browser forgets it once signed out). */
function signedInSecret(reply: { setCookies: string[] }): string {
  const cookie = reply.setCookies.find((c) => c.startsWith('accord_session='))!;
  return cookie.split(';')[0]!.slice('accord_session='.length);
}

const titleOf = (e: RecordedEvent): string => String((e.data as { title?: unknown }).title ?? '');

function tablesOf(db: Database.Database): string[] {
  return db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .pluck()
    .all() as string[];
}

/** Every row of every table, ordered by all its columns, so two databases compare by content alone. */
function dumpAll(db: Database.Database, tables: string[]): Record<string, unknown[]> {
  return Object.fromEntries(
    tables.map((t) => {
      const columns = (db.prepare(`PRAGMA table_info("${t}")`).all() as unknown[]).length;
      const order = Array.from({ length: columns }, (_, i) => i + 1).join(', ');
      return [t, db.prepare(`SELECT * FROM "${t}" ORDER BY ${order}`).all()];
    }),
  );
}
