/*
 * The raw floors of (h) and (k) behind a bare node:http server, started as its own process as the api is:
 * `node dist/bench/raw-http-app.js` with RAW_HTTP=open|share, PORT, TOKEN, DIR and the workload's settings
 * in its environment. Each request is checked against the bearer token as the api's guard checks one
 * (SHA-256 of the token looked up in a map), then does exactly the in-process raw floor's work
 * (RawOpenStore.open, RawShareStore.save) and answers. Nothing else: no framework, logging, validation,
 * decision or read model. So its rate is what this machine allows over HTTP, with the bench's clients on the
 * same cores, for the work the raw floor counts; the api cannot pass it.
 */
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { bearerTokenHash, sendJson, sha256 } from './bare-http';
import { RawOpenStore } from './open-raw';
import { RawShareStore } from './share-raw';

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
};

const TOKEN_HASH = sha256(env('TOKEN'));

function authorised(req: IncomingMessage): boolean {
  return bearerTokenHash(req.headers.authorization) === TOKEN_HASH;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

async function openHandler(): Promise<Handler> {
  const store = await RawOpenStore.create(env('DIR'), Number(env('DOCUMENTS')), Number(env('OBJECT_BYTES')));
  return async (req, res) => {
    const i = /^\/open\/(\d+)$/.exec(req.url ?? '')?.[1];
    if (req.method !== 'GET' || i === undefined) return sendJson(res, 404, { title: 'Not Found' });
    const body = await store.open(Number(i));
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length });
    res.end(body);
  };
}

async function shareHandler(): Promise<Handler> {
  const store = await RawShareStore.open(
    env('DIR'),
    { recipientPublic: env('RECIPIENT_PUBLIC') },
    { eventData: env('EVENT_DATA'), eventMeta: env('EVENT_META') },
  );
  let next = 0;
  return async (req, res) => {
    if (req.method !== 'POST' || req.url !== '/share') return sendJson(res, 404, { title: 'Not Found' });
    const i = next++;
    await store.save(i, await readBody(req));
    sendJson(res, 201, { documentId: `document-${i}` });
  };
}

async function main(): Promise<void> {
  const mode = env('RAW_HTTP');
  const handler = mode === 'open' ? await openHandler() : mode === 'share' ? await shareHandler() : undefined;
  if (!handler) throw new Error(`RAW_HTTP must be open or share, not ${mode}`);
  const server = createServer((req, res) => {
    if (!authorised(req)) return sendJson(res, 401, { title: 'Unauthorized' });
    handler(req, res).catch((e: unknown) => sendJson(res, 500, { title: String(e) }));
  });
  const port = Number(env('PORT'));
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  process.once('SIGTERM', () => process.exit(0));
  process.stdout.write(`raw-http ${mode} listening on ${port}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
