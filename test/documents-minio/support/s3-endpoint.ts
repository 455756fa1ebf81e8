import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'minio';
import S3rver from 's3rver';
import { minioOptionsFromS3Settings } from '@accord/object-store';

/** An S3 endpoint for a suite: S3_ENDPOINT's server (MinIO) when set, else s3rver on 127.0.0.1. */
export interface S3Endpoint {
  endpoint: string;
  accessKey: string;
  secretKey: string;
  /** The api's environment for an S3 object store in `region`, on a bucket of its own. */
  env(bucket: string, region: string): Record<string, string>;
  /** A plain S3 client, to look into a bucket behind the api's back. */
  client(region: string): Client;
  /** Empties and removes the bucket (each object by itself: s3rver's multi-delete races its own pruning). */
  dropBucket(bucket: string, region: string): Promise<void>;
  close(): Promise<void>;
}

export const newBucket = (): string => `accord-docs-${randomBytes(6).toString('hex')}`;

export async function startS3Endpoint(): Promise<S3Endpoint> {
  let server: S3rver | undefined;
  let directory: string | undefined;
  let endpoint = process.env.S3_ENDPOINT;
  // s3rver reports no bucket location (GetBucketLocation is always empty): the suite vouches for S3_REGION.
  const trustRegion = !endpoint || process.env.S3_TRUST_UNREPORTED_REGION === 'true';
  let accessKey = process.env.S3_ACCESS_KEY ?? '';
  let secretKey = process.env.S3_SECRET_KEY ?? '';
  if (!endpoint) {
    directory = await mkdtemp(join(tmpdir(), 'accord-s3rver-'));
    server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory });
    const { port } = await server.run();
    endpoint = `http://127.0.0.1:${port}`;
    accessKey = 'S3RVER';
    secretKey = 'S3RVER';
  }
  const settings = { endpoint, accessKey, secretKey };
  const client = (region: string) =>
    new Client({ ...minioOptionsFromS3Settings({ ...settings, region, bucket: 'unused' }), pathStyle: true });
  return {
    ...settings,
    env: (bucket, region) => ({
      S3_ENDPOINT: endpoint,
      S3_BUCKET: bucket,
      S3_REGION: region,
      S3_ACCESS_KEY: accessKey,
      S3_SECRET_KEY: secretKey,
      ...(trustRegion ? { S3_TRUST_UNREPORTED_REGION: 'true' } : {}),
    }),
    client,
    async dropBucket(bucket, region) {
      const c = client(region);
      if (!(await c.bucketExists(bucket))) return;
      const names: string[] = [];
      for await (const o of c.listObjectsV2(bucket, '', true)) if (o.name) names.push(o.name);
      for (const name of names) await c.removeObject(bucket, name);
      await c.removeBucket(bucket);
    },
    async close() {
      await server?.close();
      if (directory) await rm(directory, { recursive: true, force: true });
    },
  };
}

/** Every object key in the bucket (none when it does not exist). */
export async function bucketKeys(client: Client, bucket: string): Promise<string[]> {
  if (!(await client.bucketExists(bucket))) return [];
  const keys: string[] = [];
  for await (const o of client.listObjectsV2(bucket, '', true)) if (o.name) keys.push(o.name);
  return keys.sort();
}

export async function objectBytes(client: Client, bucket: string, key: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await client.getObject(bucket, key)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
