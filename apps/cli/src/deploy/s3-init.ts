/*
 * One-shot for docker-compose.yml (service s3-init, `node dist/apps/cli/src/deploy/s3-init.js`): with the S3
 * server's root credentials, creates the bucket in S3_REGION if it is missing and makes sure versioning is
 * not on (a bucket someone versioned is suspended), then exits 0. Idempotent: a re-run changes nothing.
 * Versioning stays off because a lawful deletion must remove a payload for good (docs/architecture.md §7);
 * the adapter removes every version anyway, but an unversioned bucket keeps none to begin with. Speaks plain S3 through the `minio` npm client, so it works
 * against SeaweedFS, MinIO or AWS. The api and worker never see these credentials: they get the
 * bucket-scoped user (docs/operations.md, "Cluster mode with Docker Compose").
 */
import { Client } from 'minio';

export interface S3InitSettings {
  endpoint: string;
  bucket: string;
  region: string;
  accessKey: string;
  secretKey: string;
}

export interface S3InitResult {
  created: boolean;
  /** `off` (never versioned), or `Suspended`. */
  versioning: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function initBucket(
  s: S3InitSettings,
  options: { attempts?: number; pauseMs?: number } = {},
): Promise<S3InitResult> {
  const url = new URL(s.endpoint);
  const client = new Client({
    endPoint: url.hostname,
    port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
    useSSL: url.protocol === 'https:',
    accessKey: s.accessKey,
    secretKey: s.secretKey,
    region: s.region,
    pathStyle: true,
  });
  // The server's healthcheck passed, but its S3 identities may load a moment later: retry (30 s by default).
  const attempts = options.attempts ?? 30;
  let exists: boolean;
  for (let attempt = 1; ; attempt += 1) {
    try {
      exists = await client.bucketExists(s.bucket);
      break;
    } catch (error) {
      if (attempt >= attempts) throw error;
      await sleep(options.pauseMs ?? 1000);
    }
  }
  if (!exists) await client.makeBucket(s.bucket, s.region);
  const before = ((await client.getBucketVersioning(s.bucket)) as { Status?: string } | undefined)?.Status;
  if (before === 'Enabled') await client.setBucketVersioning(s.bucket, { Status: 'Suspended' });
  const versioning = before === 'Enabled' ? 'Suspended' : (before ?? 'off');
  return { created: !exists, versioning };
}

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} must be set`);
  return value;
}

if (require.main === module) {
  const settings = {
    endpoint: env('S3_ENDPOINT'),
    bucket: env('S3_BUCKET'),
    region: env('S3_REGION'),
    accessKey: env('S3_ACCESS_KEY'),
    secretKey: env('S3_SECRET_KEY'),
  };
  initBucket(settings).then(
    (r) =>
      process.stdout.write(
        `s3-init: bucket ${settings.bucket} ${r.created ? 'created' : 'already existed'} (${settings.region}); ` +
          `versioning ${r.versioning}\n`,
      ),
    (error: unknown) => {
      process.stderr.write(`s3-init: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
