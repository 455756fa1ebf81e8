import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'minio';
import S3rver from 's3rver';
import { initBucket } from './s3-init';

/**
 * The compose file's s3-init against a real S3 server on 127.0.0.1 (s3rver: it keeps no versions, so the
 * suspend branch is not exercised here; against SeaweedFS or MinIO it was not run on this machine).
 */
describe('s3-init (the compose one-shot)', () => {
  let server: S3rver;
  let dir: string;
  let endpoint: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'accord-s3-init-'));
    server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: dir });
    const { port } = await server.run();
    endpoint = `http://127.0.0.1:${port}`;
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const settings = () => ({
    endpoint,
    bucket: 'accord',
    region: 'eu-west-2',
    accessKey: 'S3RVER',
    secretKey: 'S3RVER',
  });

  it('creates the bucket unversioned, and a re-run changes nothing', async () => {
    expect(await initBucket(settings(), { attempts: 1 })).toEqual({ created: true, versioning: 'off' });
    const client = new Client({
      endPoint: '127.0.0.1',
      port: Number(new URL(endpoint).port),
      useSSL: false,
      accessKey: 'S3RVER',
      secretKey: 'S3RVER',
      region: 'eu-west-2',
      pathStyle: true,
    });
    expect(await client.bucketExists('accord')).toBe(true);
    expect(await initBucket(settings(), { attempts: 1 })).toEqual({ created: false, versioning: 'off' });
  });

  it('gives up after its attempts when the server does not answer', async () => {
    const closed = { ...settings(), endpoint: 'http://127.0.0.1:1' };
    await expect(initBucket(closed, { attempts: 2, pauseMs: 10 })).rejects.toThrow();
  });
});
