/*
 * S3 adapter of the ObjectStore port (MinIO in cluster mode, docs/architecture.md §3), over the `minio`
 * client. Uploads: see minio.upload.ts.
 *
 * Checksum: each object carries its SHA-256 as user metadata (x-amz-meta-sha256), so head() is one
 * request. A body longer than one part whose digest the caller did not state is hashed while it uploads
 * and the digest is added after completion by copying the object onto itself with replaced metadata:
 * MinIO does that in place without rewriting the data. (On AWS S3 it is a server-side copy, limited to
 * 5 GiB; over that the copy fails and the object stays without its checksum.) Between completion and that
 * copy head() answers without sha256. We preferred this to a sidecar object: a sidecar can disagree with
 * its object after a crash or an overwrite, metadata cannot.
 *
 * Delete: with bucket versioning on (or suspended), a plain DELETE only adds a delete marker, so every
 * version and marker of the key is removed by version id (docs/architecture.md §18.6).
 *
 * The bucket is created in the configured region on first use if it is missing.
 */
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { Readable } from 'node:stream';
import { Client, CopyDestinationOptions, CopySourceOptions } from 'minio';
import { contentTypeOf } from '../../content-type';
import { ObjectStoreUnavailableError } from '../../errors';
import { assertValidKey, assertValidPrefix, normaliseSha256 } from '../../object-key';
import {
  ObjectHead,
  ObjectListing,
  ObjectStore,
  ObjectStoreHealth,
  PutOptions,
  PutResult,
} from '../../object-store.port';
import { s3CodeOf, translateMinioError } from './minio.errors';
import { Uploaded, uploadObject } from './minio.upload';

export interface MinioObjectStoreOptions {
  endPoint: string;
  port?: number;
  useSSL?: boolean;
  accessKey: string;
  secretKey: string;
  bucket: string;
  region: string;
  /** Bytes per multipart part (at least 5 MiB, S3's minimum); default 8 MiB, so objects up to 78 GiB. */
  partSize?: number;
  /** Parts uploading at once; memory is about (this + 1) parts per put. Default 2. */
  uploadConcurrency?: number;
}

const MIB = 1024 * 1024;
const MIN_PART_SIZE = 5 * MIB;
const DEFAULT_PART_SIZE = 8 * MIB;
const SHA256_HEX = /^[0-9a-f]{64}$/;
const ALREADY_THERE = new Set(['BucketAlreadyOwnedByYou', 'BucketAlreadyExists']);

export class MinioObjectStore implements ObjectStore {
  readonly adapter = 'minio';
  readonly region: string;
  readonly bucket: string;
  private readonly client: Client;
  private readonly agent: HttpAgent;
  private readonly useSSL: boolean;
  private readonly partSize: number;
  private readonly concurrency: number;
  private bucketReady: Promise<void> | undefined;
  private closed = false;

  constructor(options: MinioObjectStoreOptions) {
    this.region = options.region;
    this.bucket = options.bucket;
    this.useSSL = options.useSSL ?? true;
    this.partSize = options.partSize ?? DEFAULT_PART_SIZE;
    this.concurrency = options.uploadConcurrency ?? 2;
    if (!Number.isInteger(this.partSize) || this.partSize < MIN_PART_SIZE)
      throw new RangeError(`partSize must be an integer of at least ${MIN_PART_SIZE}`);
    if (!Number.isInteger(this.concurrency) || this.concurrency < 1)
      throw new RangeError('uploadConcurrency must be a positive integer');
    // Our own agent, so close() can end its keep-alive sockets instead of leaving them to hold the process.
    this.agent = this.useSSL ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
    this.client = new Client({
      endPoint: options.endPoint,
      port: options.port,
      useSSL: this.useSSL,
      accessKey: options.accessKey,
      secretKey: options.secretKey,
      region: options.region,
      pathStyle: true,
      transportAgent: this.agent,
    });
  }

  async put(key: string, body: Readable, options: PutOptions = {}): Promise<PutResult> {
    this.assertOpen();
    assertValidKey(key);
    const expected =
      options.expectedSha256 === undefined ? undefined : normaliseSha256(options.expectedSha256);
    const contentType = contentTypeOf(options.contentType);
    await this.ensureBucket();
    const target = {
      client: this.client,
      bucket: this.bucket,
      key,
      partSize: this.partSize,
      concurrency: this.concurrency,
      useSSL: this.useSSL,
    };
    const uploaded = await uploadObject(target, body, contentType, expected);
    if (!uploaded.checksumStored) await this.recordChecksum(key, uploaded, contentType);
    return { key, size: uploaded.size, sha256: uploaded.sha256 };
  }

  async get(key: string): Promise<Readable> {
    this.assertOpen();
    assertValidKey(key);
    await this.ensureBucket();
    return this.client.getObject(this.bucket, key).catch((err: unknown) => {
      throw translateMinioError(err, key);
    });
  }

  async head(key: string): Promise<ObjectHead | null> {
    this.assertOpen();
    assertValidKey(key);
    await this.ensureBucket();
    try {
      const stat = await this.client.statObject(this.bucket, key);
      const meta = stat.metaData as Record<string, unknown>;
      const sha256 =
        typeof meta.sha256 === 'string' && SHA256_HEX.test(meta.sha256) ? meta.sha256 : undefined;
      const contentType = typeof meta['content-type'] === 'string' ? meta['content-type'] : undefined;
      return {
        size: stat.size,
        ...(sha256 ? { sha256 } : {}),
        ...(contentType ? { contentType } : {}),
        lastModified: stat.lastModified,
      };
    } catch (err) {
      if (s3CodeOf(err) === 'NotFound' || s3CodeOf(err) === 'NoSuchKey') return null;
      throw translateMinioError(err, key);
    }
  }

  async delete(key: string): Promise<void> {
    this.assertOpen();
    assertValidKey(key);
    await this.ensureBucket();
    try {
      const versioning = await this.client.getBucketVersioning(this.bucket);
      // Suspended still keeps the versions written while it was on.
      if (versioning?.Status === 'Enabled' || versioning?.Status === 'Suspended')
        await this.removeAllVersions(key);
      else await this.client.removeObject(this.bucket, key);
    } catch (err) {
      throw translateMinioError(err);
    }
  }

  async *list(prefix: string): AsyncIterable<ObjectListing> {
    this.assertOpen();
    assertValidPrefix(prefix);
    await this.ensureBucket();
    try {
      for await (const item of this.client.listObjectsV2(this.bucket, prefix, true)) {
        if (item.name) yield { key: item.name, size: item.size, lastModified: item.lastModified };
      }
    } catch (err) {
      throw translateMinioError(err);
    }
  }

  async health(): Promise<ObjectStoreHealth> {
    const base = { adapter: this.adapter, region: this.region };
    if (this.closed) return { ...base, ok: false, detail: 'closed' };
    try {
      await this.ensureBucket();
      return { ...base, ok: true };
    } catch (err) {
      return { ...base, ok: false, detail: `bucket unavailable (${s3CodeOf(err) ?? 'error'})` };
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.agent.destroy();
  }

  /** Once per store; a failure (server down at start-up) is retried by the next call. */
  private ensureBucket(): Promise<void> {
    this.bucketReady ??= this.createBucketIfMissing().catch((err: unknown) => {
      this.bucketReady = undefined;
      throw translateMinioError(err);
    });
    return this.bucketReady;
  }

  private async createBucketIfMissing(): Promise<void> {
    if (await this.client.bucketExists(this.bucket)) return;
    try {
      await this.client.makeBucket(this.bucket, this.region);
    } catch (err) {
      // Another node created it between our check and our request.
      if (!ALREADY_THERE.has(s3CodeOf(err) ?? '')) throw err;
    }
  }

  private async recordChecksum(key: string, uploaded: Uploaded, contentType: string): Promise<void> {
    const source = new CopySourceOptions({
      Bucket: this.bucket,
      Object: key,
      ...(uploaded.versionId ? { VersionID: uploaded.versionId } : {}),
      // Only the object we wrote: if another put replaced it meanwhile, that one carries its own checksum.
      MatchETag: uploaded.etag,
    });
    const destination = new CopyDestinationOptions({
      Bucket: this.bucket,
      Object: key,
      MetadataDirective: 'REPLACE',
      UserMetadata: { sha256: uploaded.sha256 },
      Headers: { 'Content-Type': contentType },
    });
    try {
      await this.client.copyObject(source, destination);
    } catch (err) {
      if (s3CodeOf(err) === 'PreconditionFailed') return;
      throw translateMinioError(err, key);
    }
  }

  private async removeAllVersions(key: string): Promise<void> {
    const versions: { name: string; versionId: string }[] = [];
    // The listing is by prefix: `key` also matches `key2` and `key/x`, which must stay.
    for await (const v of this.client.listObjects(this.bucket, key, true, { IncludeVersion: true })) {
      const entry = v as { name?: string; versionId?: string | null };
      if (entry.name === key) versions.push({ name: key, versionId: entry.versionId ?? 'null' });
    }
    if (versions.length === 0) return;
    const failures = (await this.client.removeObjects(this.bucket, versions)).filter((r) => r);
    if (failures.length > 0)
      throw new ObjectStoreUnavailableError(
        `S3 kept ${failures.length} of ${versions.length} versions of ${key}`,
      );
  }

  private assertOpen(): void {
    if (this.closed) throw new ObjectStoreUnavailableError('object store is closed');
  }
}
