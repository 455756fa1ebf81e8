import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PostgresEventStore } from '@accord/event-store';
import { initPlatformAdmin } from '../../../apps/cli/src/commands/admin-init';
import {
  PostgresTestServer,
  startPostgresTestServer,
} from '../../../libs/event-store/src/adapters/postgres/postgres.test-server';
import { RedisServerProcess } from '../../../libs/jobs/src/adapters/bullmq/redis-server.fixture';
import { freePort } from '../../api/support/built-apps';
import { BuiltApi, BuiltProcess, startBuilt, startBuiltApi } from '../../api/support/built-process';
import { WorldUser } from '../../authz/world';
import { newBucket, S3Endpoint, startS3Endpoint } from '../../documents-minio/support/s3-endpoint';

export const REGION = 'eu-west-2';

/** One api node: its own DATA_DIR (read models) and port, kept across a kill and restart. */
export interface ApiNode {
  index: number;
  url: string;
  port: number;
  dataDir: string;
  process: BuiltApi;
}

/**
 * Cluster mode as an operator runs it (docs/architecture.md §38), every part real and started here:
 * a throwaway PostgreSQL (the machine's /usr/lib/postgresql binaries), s3rver, redis-server, N built api
 * processes on the shared stores, and one built worker.
 */
export class Cluster {
  readonly nodes: ApiNode[] = [];
  worker!: BuiltProcess;
  admin!: WorldUser;
  store!: PostgresEventStore;
  readonly bucket = newBucket();
  private env: Record<string, string> = {};

  private constructor(
    readonly pg: PostgresTestServer,
    readonly postgresUrl: string,
    readonly redis: RedisServerProcess,
    readonly s3: S3Endpoint,
  ) {}

  static async start(size: number, extra: Record<string, string> = {}): Promise<Cluster> {
    // Not durable: what is tested is api nodes dying, not PostgreSQL (whose crash suite is its own).
    const pg = await startPostgresTestServer({ durable: false });
    const cluster = new Cluster(
      pg,
      await pg.createDatabase('accord_cluster'),
      await RedisServerProcess.start(),
      await startS3Endpoint(),
    );
    cluster.env = {
      POSTGRES_URL: cluster.postgresUrl,
      REDIS_URL: cluster.redis.url,
      ...cluster.s3.env(cluster.bucket, REGION),
      PLATFORM_SECRET: randomBytes(32).toString('hex'),
      ACCORD_CHECKPOINT_KEY: randomBytes(32).toString('base64'),
      ACCORD_CHECKPOINT_INTERVAL_MS: '300',
      BULLMQ_LOCK_MS: '1000',
      // info: the api's "listening on" line is how a start is awaited.
      LOG_LEVEL: 'info',
      ...extra,
    };
    cluster.store = new PostgresEventStore({ connectionString: cluster.postgresUrl, poolSize: 2 });
    cluster.admin = {
      ...(await initPlatformAdmin(cluster.store, {
        name: 'Platform Admin',
        email: 'admin@cluster.test',
        platformSecret: cluster.env['PLATFORM_SECRET']!,
      })),
      role: 'admin',
      orgId: null,
    };
    // The first node makes the schema and the bucket; the others join once it listens.
    for (let i = 0; i < size; i += 1) {
      const port = await freePort();
      const dataDir = mkdtempSync(join(tmpdir(), `accord-cluster-node${i}-`));
      const node: ApiNode = { index: i, url: `http://127.0.0.1:${port}`, port, dataDir, process: undefined! };
      cluster.nodes.push(node);
      cluster.launch(node);
      if (i === 0) await node.process.listening;
    }
    await Promise.all(cluster.nodes.map((n) => n.process.listening));
    const workerDir = mkdtempSync(join(tmpdir(), 'accord-cluster-worker-'));
    cluster.worker = startBuilt('worker', { ...cluster.env, DATA_DIR: workerDir });
    return cluster;
  }

  private launch(node: ApiNode): void {
    node.process = startBuiltApi(node.dataDir, node.port, this.env);
  }

  /** SIGKILL, as a crash would; resolves once the process is gone. */
  async kill(node: ApiNode): Promise<void> {
    node.process.child.kill('SIGKILL');
    await node.process.exited;
  }

  /** Starts a killed node again on its port and DATA_DIR; resolves once it listens. */
  async restart(node: ApiNode): Promise<void> {
    this.launch(node);
    await node.process.listening;
  }

  /** Every process's output, for a failure message. */
  output(): string {
    return [
      ...this.nodes.map((n) => `--- node ${n.index}\n${n.process.output().slice(-3000)}`),
      `--- worker\n${this.worker?.output().slice(-3000) ?? ''}`,
    ].join('\n');
  }

  async stop(): Promise<void> {
    const all = [...this.nodes.map((n) => n.process), ...(this.worker ? [this.worker] : [])];
    for (const p of all)
      if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGTERM');
    await Promise.all(all.map((p) => p.exited));
    await this.store?.close();
    await this.s3.dropBucket(this.bucket, REGION).catch(() => undefined);
    await this.s3.close();
    await this.redis.stop();
    await this.pg.stop();
    for (const n of this.nodes) rmSync(n.dataDir, { recursive: true, force: true });
  }
}
