import { createHash } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import busboy from 'busboy';
import { pseudoRandomStream, sha256 } from '../../../../libs/crypto/src/testing/test-keys';
import { CliError } from '../cli-error';
import { ApiProblemError, getStream, postMultipart } from './documents-http';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** A real HTTP server parsing the upload with busboy, as the api does. */
async function serve(handler: Handler): Promise<{ url: string; server: Server }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

const problem = (res: ServerResponse, status: number, code: string, title: string) => {
  res.writeHead(status, { 'content-type': 'application/problem+json' });
  res.end(JSON.stringify({ type: `https://accord.example/problems/${code}`, title, status }));
};

describe('streaming multipart upload and download (the CLI side of POST /documents)', () => {
  let server: Server | undefined;
  afterEach(() => server?.close());

  it('sends metadata as the first part, then the payload, byte for byte, with the token', async () => {
    const seen: { parts: string[]; metadata?: unknown; sha?: string; size: number; auth?: string } = {
      parts: [],
      size: 0,
    };
    let url: string;
    ({ url, server } = await serve((req, res) => {
      seen.auth = req.headers.authorization;
      const bb = busboy({ headers: req.headers });
      const hash = createHash('sha256');
      bb.on('field', (name, value) => {
        seen.parts.push(name);
        seen.metadata = JSON.parse(value);
      });
      bb.on('file', (name, stream) => {
        seen.parts.push(name);
        stream.on('data', (c: Buffer) => {
          hash.update(c);
          seen.size += c.length;
        });
      });
      bb.on('close', () => {
        seen.sha = hash.digest('hex');
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ documentId: 'doc-1' }));
      });
      req.pipe(bb);
    }));
    const size = 3 * 1024 * 1024 + 7;
    const expected = sha256(await collect(pseudoRandomStream(size)));
    const created = await postMultipart<{ documentId: string }>({ url, token: 't0k' }, '/documents', {
      metadata: { agreementId: 'a', recipients: ['b'] },
      payload: pseudoRandomStream(size),
    });
    expect(created).toEqual({ documentId: 'doc-1' });
    expect(seen).toEqual({
      parts: ['metadata', 'payload'],
      metadata: { agreementId: 'a', recipients: ['b'] },
      sha: expected,
      size,
      auth: 'Bearer t0k',
    });
  });

  it('a refusal sent before the payload is read ends the upload with the problem, not a broken pipe', async () => {
    let url: string;
    ({ url, server } = await serve((req, res) => {
      const bb = busboy({ headers: req.headers });
      bb.on('field', () => {
        problem(res, 422, 'document.recipients-mismatch', 'Recipients do not match');
        req.unpipe(bb);
        req.destroy();
      });
      req.pipe(bb);
    }));
    let produced = 0;
    const endless = new Readable({
      read() {
        produced += 64 * 1024;
        this.push(Buffer.alloc(64 * 1024));
      },
    });
    const upload = postMultipart({ url, token: 't' }, '/documents', { metadata: {}, payload: endless });
    await expect(upload).rejects.toThrow(
      new CliError('Recipients do not match [document.recipients-mismatch]'),
    );
    expect(endless.destroyed).toBe(true);
    expect(produced).toBeLessThan(256 * 1024 * 1024);
  });

  it('a server that cannot be reached is named in one line', async () => {
    const closed = await serve(() => undefined);
    const url = closed.url;
    await new Promise((resolve) => closed.server.close(resolve));
    await expect(
      postMultipart({ url, token: 't' }, '/documents', { metadata: {}, payload: Readable.from([]) }),
    ).rejects.toThrow(new CliError(`cannot reach the server at ${url}`));
    await expect(getStream({ url, token: 't' }, '/x', '*/*')).rejects.toThrow(
      `cannot reach the server at ${url}`,
    );
  });

  it('a download streams with its length; a refusal keeps its status (410 for a destroyed payload)', async () => {
    let url: string;
    ({ url, server } = await serve((req, res) => {
      if (req.url === '/gone') return problem(res, 410, 'document.payload-destroyed', 'Payload destroyed');
      res.writeHead(200, { 'content-type': 'application/pgp-encrypted', 'content-length': '5' });
      res.end('abcde');
    }));
    const ok = await getStream({ url, token: 't' }, '/ok', 'application/pgp-encrypted');
    expect(ok.length).toBe(5);
    expect((await collect(ok.body)).toString()).toBe('abcde');
    const gone = await getStream({ url, token: 't' }, '/gone', '*/*').catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(ApiProblemError);
    expect(gone).toMatchObject({ status: 410, code: 'document.payload-destroyed' });
  });

  it('needs a token before it sends anything', async () => {
    await expect(getStream({ url: 'http://127.0.0.1:9', token: undefined }, '/x', '*/*')).rejects.toThrow(
      /no API token/,
    );
  });
});

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
