import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { RunningApi, startApi } from '../api/support/api-harness';
import { json } from '../api/support/built-apps';

const PROBLEM = /^application\/problem\+json/;

describe('orchestrator probes: GET /health/live and GET /health/ready (public)', () => {
  let api: RunningApi;
  beforeAll(async () => {
    api = await startApi({ env: { READY_MAX_LAG: '50' } });
  });
  afterAll(() => api?.close());

  const get = (path: string) => fetch(api.url + path);

  it('live answers 200 without a token', async () => {
    const res = await get('/health/live');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await json(res)).toEqual({ status: 'live' });
  });

  it('ready answers 200 on a running api whose read models are caught up', async () => {
    const res = await get('/health/ready');
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({
      status: 'ready',
      readModels: { position: expect.any(Number), head: expect.any(Number), lag: 0, maxLag: 50 },
    });
  });

  it('ready answers a 503 problem naming the port that is down, while live stays 200', async () => {
    // The filesystem object store checks that its staging directory is writable; take it away for real.
    const staging = join(api.config.dataDir, 'objects', '.tmp');
    rmSync(staging, { recursive: true, force: true });
    try {
      const res = await get('/health/ready');
      expect(res.status).toBe(503);
      expect(res.headers.get('content-type')).toMatch(PROBLEM);
      const body = await json(res);
      expect(body).toMatchObject({
        type: 'https://accord.example/problems/health.not-ready',
        title: 'Not ready',
        status: 503,
        instance: '/health/ready',
        reasons: ['object-store'],
        correlationId: res.headers.get('x-correlation-id'),
      });
      expect((await get('/health/live')).status).toBe(200);
      expect((await get('/health')).status).toBe(503);
    } finally {
      mkdirSync(staging, { recursive: true, mode: 0o700 });
    }
    expect((await get('/health/ready')).status).toBe(200);
  });
});
