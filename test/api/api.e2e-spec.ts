import { EVENT_STORE, EventStore, uuidv7 } from '@accord/event-store';
import { RunningApi, startApi } from './support/api-harness';
import { json } from './support/built-apps';

const PROBLEM = /^application\/problem\+json/;

describe('the api over HTTP (embedded mode, temp DATA_DIR)', () => {
  let api: RunningApi;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api?.close());

  const get = (path: string, init?: RequestInit) => fetch(api.url + path, init);
  const requestLines = () => api.logs.filter((l) => l.msg === 'request');

  it('GET /health answers 200 ok with the event store and read models of this node', async () => {
    const res = await get('/health');
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body).toEqual({
      status: 'ok',
      ports: {
        eventStore: expect.objectContaining({ ok: true, adapter: 'sqlite' }),
        readModels: {
          running: true,
          position: expect.any(Number),
          head: expect.any(Number),
          lag: 0,
          stalled: false,
          restarts: 0,
        },
        objectStore: { ok: true, adapter: 'filesystem', region: 'uk' },
        scheduler: { ok: true, adapter: 'in-process', state: 'running' },
      },
      components: {
        incidentDetector: { ok: true, running: true, position: expect.any(Number), lag: 0, stalled: false },
      },
    });
  });

  it('GET /metrics is Prometheus text with the process, HTTP, projector and append metrics', async () => {
    const store = api.app.get<EventStore>(EVENT_STORE);
    const meta = {
      occurredAt: new Date().toISOString(),
      actor: { system: 'test' },
      correlationId: 'c-metrics',
    };
    await store.append(
      'organisation-metrics',
      [{ eventId: uuidv7(), type: 'OrganisationRegistered', data: {}, meta }],
      'no-stream',
    );
    await get('/health');
    const res = await get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(text).toMatch(
      /^http_request_duration_seconds_count\{method="GET",route="\/health",status="200"\} [1-9]/m,
    );
    expect(text).toMatch(/^accord_projector_lag \d+/m);
    expect(text).toMatch(/^accord_events_appended_total\{type="OrganisationRegistered"\} 1$/m);
  });

  it('/docs-json is an OpenAPI document listing /health, and /docs serves its browsable form', async () => {
    const doc = await json(await get('/docs-json'));
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.info.title).toBe('Accord');
    expect(doc.paths['/health'].get.responses).toHaveProperty('200');
    expect(doc.paths['/metrics']).toBeUndefined();
    const page = await get('/docs');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('swagger');
  });

  it('an unknown route is a 404 problem with the correlation id of the response header', async () => {
    const res = await get('/no-such-thing?nhs=9434765919');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(PROBLEM);
    const body = await json(res);
    expect(body).toEqual({
      type: 'https://accord.example/problems/not-found',
      title: 'Not found',
      status: 404,
      detail: expect.any(String),
      instance: '/no-such-thing',
      correlationId: res.headers.get('x-correlation-id'),
    });
    expect(JSON.stringify(body)).not.toContain('9434765919');
  });

  it("a caller's safe x-correlation-id is kept and an unsafe one replaced", async () => {
    const kept = await get('/health', { headers: { 'x-correlation-id': 'trace-42' } });
    expect(kept.headers.get('x-correlation-id')).toBe('trace-42');
    const replaced = await get('/nope', { headers: { 'x-correlation-id': 'a b c' } });
    const id = replaced.headers.get('x-correlation-id');
    expect(id).not.toBe('a b c');
    expect((await json(replaced)).correlationId).toBe(id);
  });

  it('a malformed JSON body is a 400 malformed-json problem, never a 500, and the body is not echoed', async () => {
    const res = await get('/health', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"nhs": 9434765919,',
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(PROBLEM);
    const body = await json(res);
    expect(body).toMatchObject({
      type: 'https://accord.example/problems/malformed-json',
      status: 400,
      correlationId: res.headers.get('x-correlation-id'),
    });
    expect(JSON.stringify(body)).not.toContain('9434765919');
  });

  it('a JSON body over the limit is a 413 problem', async () => {
    const res = await get('/health', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pad: 'x'.repeat(1_100_000) }),
    });
    expect(res.status).toBe(413);
    expect((await json(res)).type).toBe('https://accord.example/problems/payload-too-large');
  });

  it('each request logs one line with method, route template, status, duration and correlation id, and no path or query', async () => {
    const before = requestLines().length;
    const res = await get('/no-such-thing/9434765919?subject=9434765919');
    await res.text();
    // The line is written when the response finishes, which the client may see first.
    while (requestLines().length === before) await new Promise((r) => setImmediate(r));
    const lines = requestLines().slice(before);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      method: 'GET',
      route: 'unmatched',
      status: 404,
      correlationId: res.headers.get('x-correlation-id'),
      level: 'info',
    });
    expect(typeof lines[0]!.durationMs).toBe('number');
    expect(JSON.stringify(api.logs)).not.toContain('9434765919');
  });

  it('the start-up is quiet: Nest lists its modules and routes at debug only', () => {
    const chatter = api.logs.filter((l) => l.context === 'RoutesResolver' || l.context === 'InstanceLoader');
    expect(chatter.length).toBeGreaterThan(0);
    expect(chatter.every((l) => l.level === 'debug')).toBe(true);
  });
});

describe('GET /health when a port fails', () => {
  it('answers 503 degraded when the event store cannot answer', async () => {
    const api = await startApi();
    try {
      await api.app.get<EventStore>(EVENT_STORE).close();
      const res = await fetch(api.url + '/health');
      expect(res.status).toBe(503);
      const body = await json(res);
      expect(body.status).toBe('degraded');
      expect(body.ports.eventStore.ok).toBe(false);
    } finally {
      await api.close();
    }
  });
});
