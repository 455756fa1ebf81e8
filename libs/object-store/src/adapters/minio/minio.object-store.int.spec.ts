import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'minio';
import S3rver from 's3rver';
import { ObjectStoreUnavailableError } from '../../errors';
import { ObjectStoreHarness, testObjectStore } from '../../object-store.contract';
import { MIB, digestStream, patternSha256, patternStream } from '../../object-store.fixtures';
import { S3Settings, createMinioObjectStore, minioOptionsFromS3Settings } from './minio.config';
import { MinioObjectStore } from './minio.object-store';

/*
 * With S3_ENDPOINT (and S3_ACCESS_KEY, S3_SECRET_KEY, S3_REGION) set, this runs against that server (MinIO).
 * Otherwise it starts s3rver, a real S3 endpoint over HTTP on 127.0.0.1, and the real client talks to it.
 * Every test gets its own bucket, created by the store and removed afterwards.
 */
const external = process.env.S3_ENDPOINT;
const REGION = process.env.S3_REGION ?? 'eu-west-2';
let server: S3rver | undefined;
let serverDir: string | undefined;
let settings: Omit<S3Settings, 'bucket'>;

beforeAll(async () => {
  if (external) {
    settings = {
      endpoint: external,
      region: REGION,
      accessKey: process.env.S3_ACCESS_KEY ?? '',
      secretKey: process.env.S3_SECRET_KEY ?? '',
    };
    return;
  }
  serverDir = await mkdtemp(join(tmpdir(), 'accord-s3rver-'));
  server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: !process.env.S3RVER_LOG,
    directory: serverDir,
  });
  const { port } = await server.run();
  settings = {
    endpoint: `http://127.0.0.1:${port}`,
    region: REGION,
    accessKey: 'S3RVER',
    secretKey: 'S3RVER',
    // s3rver reports no bucket location at all: the suite vouches for REGION.
    trustUnreportedRegion: true,
  };
});

afterAll(async () => {
  await server?.close();
  if (serverDir) await rm(serverDir, { recursive: true, force: true });
});

const newBucket = (): string => `accord-test-${randomBytes(6).toString('hex')}`;

function rawClient(): Client {
  const o = minioOptionsFromS3Settings({ ...settings, bucket: 'unused' });
  return new Client({ ...o, pathStyle: true });
}

async function versionsOf(client: Client, bucket: string, key: string): Promise<number> {
  let n = 0;
  for await (const v of client.listObjects(bucket, key, true, { IncludeVersion: true }))
    if ((v as { name?: string }).name === key) n++;
  return n;
}

async function incompleteUploads(client: Client, bucket: string, prefix: string): Promise<number> {
  let n = 0;
  for await (const _ of client.listIncompleteUploads(bucket, prefix, true)) n++;
  return n;
}

/** Empties and removes a test bucket; s3rver lists no versions, so plain keys are the fallback there. */
async function dropBucket(client: Client, bucket: string): Promise<void> {
  if (!(await client.bucketExists(bucket))) return;
  const versions: { name: string; versionId: string }[] = [];
  const names: string[] = [];
  try {
    for await (const v of client.listObjects(bucket, '', true, { IncludeVersion: true })) {
      const e = v as { name?: string; versionId?: string | null };
      if (e.name) versions.push({ name: e.name, versionId: e.versionId ?? 'null' });
    }
  } catch {
    for await (const o of client.listObjectsV2(bucket, '', true)) if (o.name) names.push(o.name);
  }
  if (versions.length > 0) await client.removeObjects(bucket, versions);
  // One by one: s3rver's multi-delete races its own empty-directory pruning and answers 500.
  for (const name of names) await client.removeObject(bucket, name);
  await client.removeBucket(bucket);
}

testObjectStore(external ? 'minio (S3_ENDPOINT)' : 'minio client against s3rver', {
  noVersioning: external
    ? undefined
    : 's3rver implements no bucket versioning (moto runs this case, and MinIO when S3_ENDPOINT is set)',
  noUploadListing: external
    ? undefined
    : 's3rver implements neither ListMultipartUploads nor AbortMultipartUpload (moto runs this case)',
  async create(): Promise<ObjectStoreHarness> {
    const bucket = newBucket();
    const store = createMinioObjectStore({ ...settings, bucket });
    const client = rawClient();
    return {
      store,
      enableVersioning: () => client.setBucketVersioning(bucket, { Status: 'Enabled' }),
      countVersions: (key) => versionsOf(client, bucket, key),
      plainDelete: (key) => client.removeObject(bucket, key),
      incompleteUploads: (prefix) => incompleteUploads(client, bucket, prefix),
      async cleanup() {
        await store.close();
        await dropBucket(client, bucket);
      },
    };
  },
});

describe('MinioObjectStore', () => {
  let client: Client;
  let bucket: string;
  let store: MinioObjectStore;
  beforeEach(() => {
    client = rawClient();
    bucket = newBucket();
    store = createMinioObjectStore({ ...settings, bucket });
  });
  afterEach(async () => {
    await store.close();
    await dropBucket(client, bucket);
  });

  it('creates its bucket on first use', async () => {
    expect(await client.bucketExists(bucket)).toBe(false);
    expect(await store.health()).toMatchObject({ ok: true, region: REGION });
    expect(await client.bucketExists(bucket)).toBe(true);
  });

  it('stores the SHA-256 as x-amz-meta-sha256 whether it was known before the upload or only after', async () => {
    const cases = [
      ['single', 1000, false],
      ['multipart-stated', 9 * MIB, true],
      ['multipart-found', 9 * MIB + 1, false],
    ] as const;
    for (const [name, size, stated] of cases) {
      const digest = patternSha256(size, size);
      await store.put(name, patternStream(size, size), stated ? { expectedSha256: digest } : {});
      const stat = await client.statObject(bucket, name);
      expect(stat.metaData).toMatchObject({ sha256: digest, 'content-type': 'application/octet-stream' });
      expect(stat.size).toBe(size);
    }
  });

  it('starts afresh after a failed upload, so a later put of the same key stores exactly its own bytes', async () => {
    const error = new Error('client went away');
    await expect(
      store.put('doc', patternStream(20 * MIB, 1, { fail: { afterBytes: 17 * MIB, error } })),
    ).rejects.toBe(error);
    const put = await store.put('doc', patternStream(20 * MIB, 2));
    expect(await digestStream(await store.get('doc'))).toEqual({ size: 20 * MIB, sha256: put.sha256 });
    expect(put.sha256).toBe(patternSha256(20 * MIB, 2));
  });

  it('turns an unreachable server into ObjectStoreUnavailableError and an unhealthy report', async () => {
    // A port nothing listens on: the real client, really failing to connect.
    const down = createMinioObjectStore({ ...settings, endpoint: 'http://127.0.0.1:1', bucket });
    try {
      await expect(down.put('doc', patternStream(10, 1))).rejects.toBeInstanceOf(ObjectStoreUnavailableError);
      await expect(down.get('doc')).rejects.toBeInstanceOf(ObjectStoreUnavailableError);
      expect(await down.health()).toMatchObject({ ok: false, adapter: 'minio' });
    } finally {
      await down.close();
    }
  });

  it('refuses a part size below S3 minimum of 5 MiB', () => {
    expect(() => createMinioObjectStore({ ...settings, bucket }, { partSize: MIB })).toThrow(RangeError);
  });
});
