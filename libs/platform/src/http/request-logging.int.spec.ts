import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { AppLogger } from '../logging/app-logger';
import { Metrics } from '../metrics/metrics';
import { currentRequestContext } from './request-context';
import { requestLogging } from './request-logging';
import { requestMiddleware } from './request-middleware';

/** The request log as wired in configureHttpApp, on a real Express server on 127.0.0.1:0. */
describe('request logging', () => {
  const raw: string[] = [];
  let server: Server;
  let url: string;
  const lines = () =>
    raw.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'request');

  beforeAll(async () => {
    const logger = AppLogger.create('debug', { write: (line: string) => void raw.push(line) });
    const app = express();
    app.use(requestMiddleware(new Metrics()));
    app.use(requestLogging(logger));
    app.get('/people/:nhs', (_req, res) => {
      logger.info('handler ran');
      res.json({ correlationId: currentRequestContext()?.correlationId });
    });
    app.get('/health', (_req, res) => res.json({ status: 'ok' }));
    app.get('/boom', (_req, res) => res.status(500).json({}));
    server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  const until = async (n: number) => {
    while (lines().length < n) await new Promise((r) => setImmediate(r));
  };

  it('logs one line per request with the route template, status, duration and correlation id only', async () => {
    raw.length = 0;
    const res = await fetch(`${url}/people/9434765919?subject=9434765919`, {
      headers: { 'x-correlation-id': 'trace-1', authorization: 'Bearer acc_secret', cookie: 'sid=abc' },
    });
    expect(await res.json()).toEqual({ correlationId: 'trace-1' });
    await until(1);
    expect(lines()).toEqual([
      {
        level: 'info',
        time: expect.any(String),
        pid: process.pid,
        correlationId: 'trace-1',
        method: 'GET',
        route: '/people/:nhs',
        status: 200,
        durationMs: expect.any(Number),
        msg: 'request',
      },
    ]);
    const text = raw.join('');
    // The handler's own line carries the same id; the request line carries it once (no duplicate key).
    expect(JSON.parse(raw.find((l) => l.includes('handler ran'))!).correlationId).toBe('trace-1');
    expect(raw.find((l) => l.includes('"msg":"request"'))!.match(/"correlationId"/g)).toHaveLength(1);
    for (const secret of ['9434765919', 'acc_secret', 'sid=abc', '127.0.0.1', 'user-agent'])
      expect(text).not.toContain(secret);
  });

  it('logs probes at debug and server errors at warn', async () => {
    raw.length = 0;
    await (await fetch(`${url}/health`)).text();
    await until(1);
    await (await fetch(`${url}/boom`)).text();
    await until(2);
    expect(lines().map((l) => [l.route, l.status, l.level])).toEqual([
      ['/health', 200, 'debug'],
      ['/boom', 500, 'warn'],
    ]);
  });
});
