import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, IncomingMessage, request } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { SqliteEventStore } from '@accord/event-store';
import { loadConfig } from '@accord/platform';
import { initPlatformAdmin } from '../apps/cli/src/commands/admin-init';

/**
 * The share workloads drive the built api as an operator runs it: `node dist/apps/api/src/main.js` in its
 * own process, on an ephemeral port over a fresh DATA_DIR, seeded over HTTP. Only the platform admin is
 * written straight into the event store, as `accord admin init` does, before the api starts.
 */

export interface BuiltApi {
  url: string;
  pid: number;
  /** The api process's peak resident set size so far, MiB (VmHWM: its own, since exec). */
  peakRssMib(): number;
  cpuSeconds(): number;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export function vmHwmMib(pid: number): number {
  const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmHWM for process ${pid}`);
  return Math.round(Number(match[1]) / 1024);
}

/** CPU seconds (user + system) a process has used so far; clock ticks are 100 a second on Linux. */
/**
 * CPU seconds (user + system) of a process, all threads; or of one of its threads, given its id (the main
 * thread's id is the pid).
 */
export function cpuSeconds(pid: number, thread?: number): number {
  const stat = readFileSync(
    thread === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${thread}/stat`,
    'utf8',
  );
  // Fields after the parenthesised command name, which may itself hold spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Enrols the first admin straight into DATA_DIR's event store; run it before the api starts. */
export async function initAdmin(dataDir: string): Promise<string> {
  const store = new SqliteEventStore({ file: join(dataDir, 'events.db') });
  try {
    // The api started on this DATA_DIR afterwards reads the secret file loadConfig creates here.
    const { platformSecret } = loadConfig({ DATA_DIR: dataDir });
    const admin = await initPlatformAdmin(store, {
      name: 'Bench Admin',
      email: 'admin@bench.example',
      platformSecret,
    });
    return admin.token;
  } finally {
    await store.close();
  }
}

export async function startBuiltApi(dataDir: string, env: Record<string, string> = {}): Promise<BuiltApi> {
  // dist/bench/share-api.js -> dist/apps/api/src/main.js
  const entry = join(__dirname, '..', 'apps', 'api', 'src', 'main.js');
  return startNodeServer(entry, 'api', { DATA_DIR: dataDir, ...env });
}

/**
 * Starts `node <entry>` on a free port (PORT in its environment, with env) and resolves once it prints
 * `listening on`. BENCH_CPU_PROF=<dir> profiles it too (see harness.ts), written when it exits on SIGTERM.
 */
export async function startNodeServer(
  entry: string,
  name: string,
  env: Record<string, string> = {},
): Promise<BuiltApi> {
  const port = await freePort();
  const profDir = process.env.BENCH_CPU_PROF;
  const prof = profDir
    ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`, `--cpu-prof-name=${name}-${Date.now()}.cpuprofile`]
    : [];
  const child: ChildProcess = spawn(process.execPath, [...prof, entry], {
    env: { PATH: process.env.PATH ?? '', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const onData = (d: Buffer) => {
      output += d.toString();
      if (/listening on/.test(output)) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => reject(new Error(`${name} exited ${code} before listening: ${output}`)));
  });
  // Keep draining its logs, so a full pipe never stalls it.
  child.stdout!.resume();
  child.stderr!.resume();
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    peakRssMib: () => vmHwmMib(child.pid!),
    cpuSeconds: () => cpuSeconds(child.pid!),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}

export interface Reply {
  status: number;
  headers: IncomingMessage['headers'];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response shapes are checked where used
  body: any;
}

/**
 * One keep-alive connection per request in flight, as a partner's client would hold them. Used in turn
 * (fifo) and dropped by the client after 4 s idle, before the server's 5 s keep-alive timeout: otherwise a
 * slow phase (the latency view's paced requests) can send on a connection the server is closing just then,
 * and the request fails with ECONNRESET.
 */
export function keepAliveAgent(maxSockets: number): Agent {
  return new Agent({ keepAlive: true, maxSockets, scheduling: 'fifo', timeout: 4_000 });
}

/** An HTTP request whose body is a Buffer or a stream; resolves with the whole (small) response. */
export function send(
  url: string,
  method: string,
  path: string,
  options: {
    token?: string;
    json?: unknown;
    body?: Buffer | Readable;
    headers?: Record<string, string | number>;
    agent?: Agent;
  } = {},
): Promise<Reply> {
  const headers: Record<string, string | number> = { ...options.headers };
  if (options.token) headers['authorization'] = `Bearer ${options.token}`;
  let body = options.body;
  if (options.json !== undefined) {
    body = Buffer.from(JSON.stringify(options.json));
    headers['content-type'] = 'application/json';
  }
  if (Buffer.isBuffer(body)) headers['content-length'] = body.length;
  return new Promise((resolve, reject) => {
    const req = request(
      url + path,
      { method, headers, ...(options.agent ? { agent: options.agent } : {}) },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const json = /json/.test(String(res.headers['content-type'] ?? '')) && text !== '';
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: json ? JSON.parse(text) : text,
          });
        });
      },
    );
    req.on('error', reject);
    if (body === undefined) req.end();
    else if (Buffer.isBuffer(body)) req.end(body);
    else {
      body.on('error', (e) => req.destroy(e));
      body.pipe(req);
    }
  });
}

export async function ok(expected: number, reply: Promise<Reply>): Promise<Reply> {
  const r = await reply;
  if (r.status !== expected)
    throw new Error(`expected ${expected}, got ${r.status} ${JSON.stringify(r.body).slice(0, 500)}`);
  return r;
}

const BOUNDARY = 'accord-bench-boundary-7d1f0c';
export const MULTIPART_TYPE = `multipart/form-data; boundary=${BOUNDARY}`;

/** The bytes of a POST /documents body around its payload: `metadata` part, then the `payload` part. */
export function multipartFrame(metadata: unknown): { head: Buffer; tail: Buffer } {
  const head =
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="metadata"\r\n\r\n${JSON.stringify(metadata)}\r\n` +
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="payload"; filename="document.pgp"\r\n` +
    'Content-Type: application/octet-stream\r\n\r\n';
  return { head: Buffer.from(head), tail: Buffer.from(`\r\n--${BOUNDARY}--\r\n`) };
}

export function multipartBody(metadata: unknown, payload: Uint8Array): Buffer {
  const { head, tail } = multipartFrame(metadata);
  return Buffer.concat([head, payload, tail]);
}
