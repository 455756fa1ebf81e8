/*
 * Streaming upload of one object of unknown size, hashing it on the way.
 *
 * The body is cut into fixed parts (part-reader.ts). A body of one part goes up in one PUT, its SHA-256
 * known beforehand and stored as x-amz-meta-sha256. A longer body is a multipart upload with a few parts
 * in flight; S3 shows it only on CompleteMultipartUpload, which we send only after the whole body hashed
 * to the expected digest. A mismatch or a failing body aborts the upload instead, so no partial or wrong
 * object is ever visible, and an object already under the key stays as it was.
 *
 * We do not use the client's putObject for long bodies: it buffers parts of size/10000 (over 500 MiB for
 * an unknown size), resumes any earlier unfinished upload of the same key (splicing in a failed attempt's
 * parts), and completes the upload before we could compare digests.
 */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Client } from 'minio';
import { ChecksumMismatchError } from '../../errors';
import { translateMinioError } from './minio.errors';
import { PartBuffers, readParts } from './part-reader';

/** S3 allows at most this many parts in one upload. */
const MAX_PARTS = 10_000;

export interface UploadTarget {
  client: Client;
  bucket: string;
  key: string;
  partSize: number;
  concurrency: number;
  /** Over https the payload is not signed, so parts carry a Content-MD5 for the server to check. */
  useSSL: boolean;
}

export interface Uploaded {
  size: number;
  sha256: string;
  etag: string;
  versionId: string | null;
  /** False when the digest was known only after the upload: x-amz-meta-sha256 still has to be set. */
  checksumStored: boolean;
}

export async function uploadObject(
  t: UploadTarget,
  body: Readable,
  contentType: string,
  expected: string | undefined,
): Promise<Uploaded> {
  // One part filling, `concurrency` on their way: the reader waits for a free buffer beyond that.
  const buffers = new PartBuffers(t.partSize, t.concurrency + 1);
  const parts = readParts(body, t.partSize, () => buffers.acquire());
  try {
    const first = await parts.next();
    const second = first.done ? first : await parts.next();
    if (second.done)
      return await putSingle(t, first.done ? Buffer.alloc(0) : first.value, contentType, expected);
    return await putMultipart(t, parts, buffers, [first.value, second.value], contentType, expected);
  } finally {
    // Stops reading (and destroys) the body when the upload ended early.
    await parts.return(undefined);
  }
}

async function putSingle(
  t: UploadTarget,
  bytes: Buffer,
  contentType: string,
  expected: string | undefined,
): Promise<Uploaded> {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (expected !== undefined && sha256 !== expected) throw new ChecksumMismatchError(t.key, expected, sha256);
  const info = await onFreshSocketOnce(() =>
    t.client.putObject(t.bucket, t.key, bytes, bytes.length, { 'Content-Type': contentType, sha256 }),
  ).catch(rethrowTranslated);
  return { size: bytes.length, sha256, etag: info.etag, versionId: info.versionId, checksumStored: true };
}

async function putMultipart(
  t: UploadTarget,
  parts: AsyncGenerator<Buffer>,
  buffers: PartBuffers,
  firstParts: Buffer[],
  contentType: string,
  expected: string | undefined,
): Promise<Uploaded> {
  const headers: Record<string, string> = { 'Content-Type': contentType };
  // Known in advance, the digest goes on at the start and is verified before the upload completes.
  if (expected !== undefined) headers['x-amz-meta-sha256'] = expected;
  const uploadId = await onFreshSocketOnce(() =>
    t.client.initiateNewMultipartUpload(t.bucket, t.key, headers),
  ).catch(rethrowTranslated);
  const hash = createHash('sha256');
  const etags: { part: number; etag: string }[] = [];
  const inFlight = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  let size = 0;
  let partNumber = 0;

  const send = (bytes: Buffer): void => {
    const part = ++partNumber;
    const sent: Promise<void> = onFreshSocketOnce(() =>
      t.client.uploadPart(
        {
          bucketName: t.bucket,
          objectName: t.key,
          uploadID: uploadId,
          partNumber: part,
          headers: partHeaders(t, bytes),
        },
        bytes,
      ),
    )
      .then((r) => void (etags[part - 1] = { part, etag: r.etag }))
      .catch((error: unknown) => void (failure ??= { error: translateMinioError(error) }))
      .finally(() => {
        inFlight.delete(sent);
        buffers.release(bytes);
      });
    inFlight.add(sent);
  };

  try {
    for (;;) {
      let bytes = firstParts.shift();
      if (bytes === undefined) {
        const next = await parts.next();
        if (next.done) break;
        bytes = next.value;
      }
      if (partNumber === MAX_PARTS)
        throw new RangeError(`object larger than ${MAX_PARTS} parts of ${t.partSize} bytes`);
      hash.update(bytes);
      size += bytes.length;
      send(bytes);
      while (inFlight.size >= t.concurrency && !failure) await Promise.race(inFlight);
      if (failure) throw failure.error;
    }
    await Promise.all(inFlight);
    if (failure) throw failure.error;
    const sha256 = hash.digest('hex');
    if (expected !== undefined && sha256 !== expected)
      throw new ChecksumMismatchError(t.key, expected, sha256);
    const done = await completeUpload(t, uploadId, etags).catch(rethrowTranslated);
    return {
      size,
      sha256,
      etag: done.etag,
      versionId: done.versionId,
      checksumStored: expected !== undefined,
    };
  } catch (err) {
    await Promise.allSettled(inFlight);
    // Parts of an upload never completed are invisible but stored: abort, so nothing is left (issue 12),
    // trying again once if the first attempt fails. Beyond that a bucket lifecycle rule
    // (AbortIncompleteMultipartUpload) reclaims them; the body's own error is what the caller sees.
    for (let attempt = 0; attempt < 2; attempt++) {
      const aborted = await t.client.abortMultipartUpload(t.bucket, t.key, uploadId).then(
        () => true,
        (error: unknown) => (error as { code?: unknown } | null)?.code === 'NoSuchUpload',
      );
      if (aborted) break;
    }
    throw err;
  }
}

/**
 * CompleteMultipartUpload, read by element rather than by the client's parser: S3 answers
 * `<CompleteMultipartUploadResult>`, some compatible servers (moto) another root, and any of them may
 * answer 200 with an `<Error>` body, which is a failure.
 */
async function completeUpload(
  t: UploadTarget,
  uploadId: string,
  etags: { part: number; etag: string }[],
): Promise<{ etag: string; versionId: string | null }> {
  const parts = etags
    .map((p) => `<Part><PartNumber>${p.part}</PartNumber><ETag>${escapeXml(p.etag)}</ETag></Part>`)
    .join('');
  const payload = `<CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${parts}</CompleteMultipartUpload>`;
  const res = await t.client.makeRequestAsync(
    {
      method: 'POST',
      bucketName: t.bucket,
      objectName: t.key,
      query: `uploadId=${encodeURIComponent(uploadId)}`,
    },
    payload,
  );
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  const xml = Buffer.concat(chunks).toString('utf8');
  const code = /<Error>[\s\S]*?<Code>([^<]+)<\/Code>/.exec(xml)?.[1];
  if (code !== undefined) throw Object.assign(new Error(`CompleteMultipartUpload failed: ${code}`), { code });
  const etag = /<ETag>([^<]*)<\/ETag>/.exec(xml)?.[1];
  if (etag === undefined) throw new Error('CompleteMultipartUpload answered without an ETag');
  const versionId = res.headers['x-amz-version-id'];
  return {
    etag: etag.replace(/^(&quot;|&#34;|")|(&quot;|&#34;|")$/g, ''),
    versionId: typeof versionId === 'string' && versionId !== '' ? versionId : null,
  };
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function partHeaders(t: UploadTarget, bytes: Buffer): Record<string, string> {
  return t.useSSL ? { 'Content-MD5': createHash('md5').update(bytes).digest('base64') } : {};
}

/**
 * A keep-alive socket the server closed while it sat idle fails the next request written on it (ECONNRESET,
 * EPIPE) before the server read anything. Each call wrapped here sends a whole buffer (a part, a small
 * object, an upload's initiation), so one retry on a fresh socket is safe: a part is overwritten by its
 * number, an object by its key, and a duplicate initiation would only leave an empty upload.
 */
async function onFreshSocketOnce<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    const code = (err as { code?: unknown } | null)?.code;
    if (code !== 'ECONNRESET' && code !== 'EPIPE') throw err;
    return call();
  }
}

function rethrowTranslated(err: unknown): never {
  throw translateMinioError(err);
}
