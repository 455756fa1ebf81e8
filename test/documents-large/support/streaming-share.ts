import { createCipheriv, createHash } from 'node:crypto';
import { request } from 'node:http';
import { Readable } from 'node:stream';

/**
 * Streaming clients for documents too large to hold: the multipart upload is written as the payload is
 * produced (chunked transfer encoding), and the download is hashed as it arrives. Neither keeps the body.
 */

/**
 * `size` incompressible, reproducible bytes, produced as they are read: an AES-256-CTR keystream under a
 * key derived from `seed` (hundreds of MiB/s; a hash per 32 bytes would take longer than the test).
 */
export function pseudoRandomSource(size: number, seed: string, chunkSize = 1024 * 1024): Readable {
  const key = createHash('sha256').update(`key:${seed}`).digest();
  const iv = createHash('sha256').update(`iv:${seed}`).digest().subarray(0, 16);
  const cipher = createCipheriv('aes-256-ctr', key, iv);
  const zeros = Buffer.alloc(chunkSize);
  let produced = 0;
  return new Readable({
    read() {
      if (produced >= size) return void this.push(null);
      const length = Math.min(chunkSize, size - produced);
      produced += length;
      this.push(cipher.update(length === chunkSize ? zeros : zeros.subarray(0, length)));
    },
  });
}

export interface StreamedShare {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the reply's shape is what the test asserts
  body: any;
  /** Bytes of payload sent and their SHA-256, as they left the client. */
  sent: { size: number; sha256: string };
}

const BOUNDARY = 'accord-large-test-boundary';

/** POST /documents: the `metadata` part, then `payload` streamed from `payload` as it is produced. */
export function streamShare(
  url: string,
  token: string,
  metadata: unknown,
  payload: Readable,
): Promise<StreamedShare> {
  const hash = createHash('sha256');
  let size = 0;
  const body = Readable.from(
    (async function* () {
      yield Buffer.from(
        `--${BOUNDARY}\r\nContent-Disposition: form-data; name="metadata"\r\n\r\n${JSON.stringify(metadata)}\r\n` +
          `--${BOUNDARY}\r\nContent-Disposition: form-data; name="payload"; filename="large.pgp"\r\n` +
          'Content-Type: application/octet-stream\r\n\r\n',
      );
      for await (const chunk of payload) {
        const bytes = chunk as Buffer;
        hash.update(bytes);
        size += bytes.length;
        yield bytes;
      }
      yield Buffer.from(`\r\n--${BOUNDARY}--\r\n`);
    })(),
    { objectMode: false },
  );
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/documents`,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: res.statusCode ?? 0,
            body: /json/.test(String(res.headers['content-type'])) ? JSON.parse(text) : text,
            sent: { size, sha256: hash.digest('hex') },
          });
        });
      },
    );
    req.on('error', reject);
    body.on('error', (e) => req.destroy(e));
    body.pipe(req);
  });
}

/** GET /documents/:id/content, hashing the body as it streams in. */
export function hashedDownload(
  url: string,
  token: string,
  documentId: string,
): Promise<{ status: number; size: number; sha256: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/documents/${documentId}/content`,
      { headers: { authorization: `Bearer ${token}` } },
      (res) => {
        const hash = createHash('sha256');
        let size = 0;
        res.on('data', (c: Buffer) => {
          hash.update(c);
          size += c.length;
        });
        res.on('error', reject);
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, size, sha256: hash.digest('hex'), headers: res.headers }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}
