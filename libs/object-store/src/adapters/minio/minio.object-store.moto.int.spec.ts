import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, request as httpRequest, Server } from 'node:http';
import { AddressInfo, createServer as createNetServer } from 'node:net';
import { Client } from 'minio';
import { DestructionUnconfirmedError, ObjectStoreMisconfiguredError } from '../../errors';
import { ObjectStoreHarness, testObjectStore } from '../../object-store.contract';
import { patternStream } from '../../object-store.fixtures';
import { destroyConfirmed } from '../../object-store.port';
import { S3Settings, createMinioObjectStore, minioOptionsFromS3Settings } from './minio.config';

/*
 * The same contract, and the bucket checks of issue 12, against moto's S3 server: unlike s3rver it keeps
 * versions, reports bucket locations, has Object Lock, and lists and aborts multipart uploads. Skipped
 * (with a line saying so) where `moto_server` is not installed.
 */
const REGION = 'eu-west-2';
const MOTO = spawnSync('moto_server', ['--help'], { stdio: 'ignore' }).status === 0;
let moto: ChildProcess | undefined;
let settings: Omit<S3Settings, 'bucket'>;

async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitForHttp(url: string): Promise<void> {
  for (let i = 0; i < 150; i++) {
    try {
      await fetch(url);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`moto_server did not answer on ${url}`);
}

beforeAll(async () => {
  if (!MOTO) return;
  const port = await freePort();
  moto = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  const endpoint = `http://127.0.0.1:${port}`;
  await waitForHttp(endpoint);
  settings = { endpoint, region: REGION, accessKey: 'moto-access', secretKey: 'moto-secret' };
}, 30_000);

afterAll(() => {
  moto?.kill('SIGTERM');
});

const newBucket = (): string => `accord-moto-${randomBytes(6).toString('hex')}`;
const rawClient = (endpoint = settings.endpoint): Client =>
  new Client({ ...minioOptionsFromS3Settings({ ...settings, endpoint, bucket: 'unused' }), pathStyle: true });

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

testObjectStore('minio client against moto', {
  ...(MOTO ? {} : { skip: 'moto_server is not installed' }),
  async create(): Promise<ObjectStoreHarness> {
    const bucket = newBucket();
    const store = createMinioObjectStore({ ...settings, bucket });
    const client = rawClient();
    return {
      store,
      async enableVersioning() {
        await store.open();
        await client.setBucketVersioning(bucket, { Status: 'Enabled' });
      },
      countVersions: (key) => versionsOf(client, bucket, key),
      plainDelete: (key) => client.removeObject(bucket, key),
      incompleteUploads: (prefix) => incompleteUploads(client, bucket, prefix),
      cleanup: () => store.close(),
    };
  },
});

/**
 * An S3 endpoint in front of moto that forwards every request untouched (the Host header included, so
 * signatures still verify) except, while `refuseVersioning` is set, GetBucketVersioning: 403 AccessDenied,
 * as from a role without s3:GetBucketVersioning.
 */
async function refusingProxy(): Promise<{
  endpoint: string;
  refuseVersioning: boolean;
  close(): Promise<void>;
}> {
  const target = new URL(settings.endpoint);
  const state = { refuseVersioning: true };
  const server: Server = createServer((req, res) => {
    if (state.refuseVersioning && req.method === 'GET' && /[?&]versioning(=|&|$)/.test(req.url ?? '')) {
      req.resume();
      res.writeHead(403, { 'content-type': 'application/xml' });
      return res.end('<?xml version="1.0"?><Error><Code>AccessDenied</Code><Message>no</Message></Error>');
    }
    const upstream = httpRequest(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    endpoint: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

(MOTO ? describe : describe.skip)('MinioObjectStore bucket checks (moto)', () => {
  it('takes its region from the bucket, and opens on a plain bucket in S3_REGION', async () => {
    const store = createMinioObjectStore({ ...settings, bucket: newBucket() });
    await store.open();
    expect(store.region).toBe(REGION);
    await store.close();
  });

  it('refuses a bucket that reports another region than S3_REGION', async () => {
    const bucket = newBucket();
    await new Client({
      ...minioOptionsFromS3Settings({ ...settings, region: 'us-east-1', bucket }),
      pathStyle: true,
    }).makeBucket(bucket, 'us-east-1');
    const store = createMinioObjectStore({ ...settings, bucket });
    const error = await store.open().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ObjectStoreMisconfiguredError);
    expect((error as Error).message).toMatch(/is in region us-east-1, not S3_REGION eu-west-2/);
    await store.close();
  });

  it('refuses a bucket with Object Lock and a default COMPLIANCE retention (nothing could be destroyed)', async () => {
    const bucket = newBucket();
    const client = rawClient();
    await client.makeBucket(bucket, REGION, { ObjectLocking: true });
    // minio 8 declares a `void` overload first for this promise-returning method, so bind the Promise one:
    // the test must wait for the retention to be set before open() looks at it.
    const setLock: (name: string, lock: Parameters<Client['setObjectLockConfig']>[1]) => Promise<void> =
      client.setObjectLockConfig.bind(client);
    await setLock(bucket, { mode: 'COMPLIANCE', unit: 'Days', validity: 30 });
    const store = createMinioObjectStore({ ...settings, bucket });
    await expect(store.open()).rejects.toThrow(/Object Lock with a default COMPLIANCE retention/);
    await expect(store.open()).rejects.toBeInstanceOf(ObjectStoreMisconfiguredError);
    await store.close();
  });

  it('accepts Object Lock without a default retention: objects can still be destroyed', async () => {
    const bucket = newBucket();
    await rawClient().makeBucket(bucket, REGION, { ObjectLocking: true });
    const store = createMinioObjectStore({ ...settings, bucket });
    await store.open();
    await store.put('documents/d1', patternStream(1000, 1));
    await destroyConfirmed(store, 'documents/d1');
    expect(await store.isAbsent('documents/d1')).toBe(true);
    await store.close();
  });

  it('fails closed when the versioning state cannot be read: no start, no unconfirmed destruction', async () => {
    const proxy = await refusingProxy();
    const bucket = newBucket();
    try {
      const refused = createMinioObjectStore({ ...settings, endpoint: proxy.endpoint, bucket });
      await expect(refused.open()).rejects.toThrow(/versioning state cannot be read/);
      await refused.close();

      // Opened while the state was readable, then the permission went: the delete must not guess.
      proxy.refuseVersioning = false;
      const store = createMinioObjectStore({ ...settings, endpoint: proxy.endpoint, bucket });
      await store.open();
      await rawClient().setBucketVersioning(bucket, { Status: 'Enabled' });
      await store.put('documents/d2', patternStream(1000, 2));
      await store.put('documents/d2', patternStream(1000, 3));
      proxy.refuseVersioning = true;
      await expect(store.delete('documents/d2')).rejects.toBeInstanceOf(DestructionUnconfirmedError);
      // Still there, so isAbsent's answer needs no versioning state; once HEAD says gone, it would.
      expect(await store.isAbsent('documents/d2')).toBe(false);
      await rawClient().removeObject(bucket, 'documents/d2');
      await expect(store.isAbsent('documents/d2')).rejects.toBeInstanceOf(DestructionUnconfirmedError);
      await expect(destroyConfirmed(store, 'documents/d2')).rejects.toBeInstanceOf(
        DestructionUnconfirmedError,
      );
      expect(await versionsOf(rawClient(), bucket, 'documents/d2')).toBe(3);
      proxy.refuseVersioning = false;
      await destroyConfirmed(store, 'documents/d2');
      expect(await versionsOf(rawClient(), bucket, 'documents/d2')).toBe(0);
      await store.close();
    } finally {
      await proxy.close();
    }
  });
});
