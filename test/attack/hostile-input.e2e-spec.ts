import { request as httpRequest } from 'node:http';
import { EVENT_STORE, EventStore } from '@accord/event-store';
import { ABUSE_COUNTERS, InMemoryAbuseCounters } from '@accord/platform';
import { startApi } from '../api/support/api-harness';
import { World } from '../authz/world';
import { buildPair, DocumentsPair, pairMetadata, pairTerms } from '../documents/support/documents-pair';
import { share } from '../documents/support/documents-partnership';

const PROBLEM = 'application/problem+json';

/** A raw JSON POST: the body is sent as given, so it can hold what JSON.stringify would never write. */
async function rawPost(
  url: string,
  token: string | undefined,
  text: string,
  headers: Record<string, string> = {},
) {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: text,
  });
  const body = await res.text();
  return { status: res.status, type: res.headers.get('content-type') ?? '', headers: res.headers, body };
}

const nested = (depth: number) => `{"title":${'['.repeat(depth)}${']'.repeat(depth)}}`;

describe('hostile input at the edge (issue 12 §5)', () => {
  let world: World;
  let lead: string;
  beforeAll(async () => {
    world = await World.build();
    lead = world.org('own').users['ig-lead'].token;
  });
  afterAll(() => world?.close());

  it.each([3_000, 10_000])('a JSON body nested %i deep is a 400 json-too-deep, not a 500', async (depth) => {
    const reply = await rawPost(`${world.url}/agreements`, lead, nested(depth));
    expect(reply.status).toBe(400);
    expect(reply.type).toContain(PROBLEM);
    expect(JSON.parse(reply.body).type).toBe('https://accord.example/problems/json-too-deep');
  });

  it('nesting within the limit still reaches validation', async () => {
    const reply = await rawPost(`${world.url}/agreements`, lead, nested(10));
    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.body).type).toBe('https://accord.example/problems/validation-failed');
  });

  it.each([
    ['a NUL character', '"Early help\\u0000"'],
    ['a lone high surrogate', '"Early help \\ud800"'],
    ['a lone low surrogate', '"\\udc00 Early help"'],
  ])('a text field with %s is refused as invalid-text', async (_, title) => {
    const terms = pairTerms(world.org('own').id, [world.org('own').id, world.org('other').id]);
    const text = JSON.stringify({ ...terms, title: 'X' }).replace('"X"', title);
    const reply = await rawPost(`${world.url}/agreements`, lead, text);
    expect(reply.status).toBe(400);
    const problem = JSON.parse(reply.body);
    expect(problem.type).toBe('https://accord.example/problems/invalid-text');
    expect(problem.errors).toEqual([expect.objectContaining({ pointer: '/title' })]);
  });

  it('a proper surrogate pair (an emoji) is text like any other', async () => {
    const terms = pairTerms(world.org('own').id, [world.org('own').id, world.org('other').id]);
    const reply = await rawPost(
      `${world.url}/agreements`,
      lead,
      JSON.stringify({ ...terms, title: 'Early help 🤝' }),
    );
    expect(reply.status).toBe(201);
  });

  it('a __proto__ or constructor key anywhere in a body is refused', async () => {
    for (const text of ['{"__proto__":{"isAdmin":true}}', '{"title":{"constructor":{"prototype":1}}}']) {
      const reply = await rawPost(`${world.url}/agreements`, lead, text);
      expect(reply.status).toBe(400);
      expect(JSON.parse(reply.body).type).toBe('https://accord.example/problems/forbidden-key');
    }
  });

  it('a NUL in a query string is refused', async () => {
    const res = await fetch(`${world.url}/documents?purpose=a%00b`, {
      headers: { authorization: `Bearer ${lead}` },
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { type: string }).type).toBe(
      'https://accord.example/problems/invalid-text',
    );
  });

  describe('with an agreement and keys', () => {
    let pair: DocumentsPair;
    beforeAll(async () => {
      pair = await buildPair(world, world.org('own'), world.org('other'));
    });

    it('multipart metadata with a lone surrogate, or nested too deep, is refused before the payload', async () => {
      const practitioner = world.client(pair.sender.users.practitioner.token);
      const bad = JSON.stringify(pairMetadata(pair, { title: 'X' })).replace('"X"', '"\\ud83d"');
      const reply = await share(practitioner, bad, 'body');
      expect(reply.status).toBe(400);
      expect(reply.body.type).toBe('https://accord.example/problems/invalid-text');
      const deep = await share(practitioner, `{"title":${'['.repeat(5000)}${']'.repeat(5000)}}`, 'body');
      expect(deep.status).toBe(400);
      expect(deep.body.type).toBe('https://accord.example/problems/json-too-deep');
    });

    it('an amendment that names no field is refused with its own problem type', async () => {
      const reply = await world
        .client(pair.sender.users['ig-lead'].token)
        .post(`/agreements/${pair.agreementId}/amendments`, { changes: {}, reasonForChange: 'nothing' });
      expect(reply.status).toBe(422);
      expect(reply.body.type).toBe('https://accord.example/problems/agreement.amendment-empty');
      const { body } = await world.client(lead).ok('GET', `/agreements/${pair.agreementId}`, 200);
      expect(body.version).toBe(1);
    });

    it('an Idempotency-Key whose request failed is free for a corrected retry with another body', async () => {
      const client = world.client(pair.sender.users['ig-lead'].token);
      const key = { 'idempotency-key': `corrected-${Date.now()}` };
      const terms = pairTerms(pair.sender.id, [pair.sender.id, pair.recipient.id]);
      const wrong = await client.post('/agreements', { ...terms, title: 'Wrong', unknownField: 1 }, key);
      expect(wrong.status).toBe(400);
      const corrected = await client.post('/agreements', { ...terms, title: 'Corrected' }, key);
      expect(corrected.status).toBe(201);
    });

    it('an Idempotency-Key re-used with a different body is a 422 idempotency.key-reused', async () => {
      const client = world.client(pair.sender.users['ig-lead'].token);
      const key = { 'idempotency-key': `reuse-${Date.now()}` };
      const terms = pairTerms(pair.sender.id, [pair.sender.id, pair.recipient.id]);
      const first = await client.post('/agreements', { ...terms, title: 'First' }, key);
      expect(first.status).toBe(201);
      const retry = await client.post('/agreements', { ...terms, title: 'First' }, key);
      expect([retry.status, retry.body.id]).toEqual([201, first.body.id]);
      const other = await client.post('/agreements', { ...terms, title: 'Second' }, key);
      expect(other.status).toBe(422);
      expect(other.headers.get('content-type')).toContain(PROBLEM);
      expect(other.body.type).toBe('https://accord.example/problems/idempotency.key-reused');
      // Another caller's same key is another request.
      const mine = await world
        .client(pair.recipient.users['ig-lead'].token)
        .post(
          '/agreements',
          { ...pairTerms(pair.recipient.id, [pair.recipient.id, pair.sender.id]), title: 'Second' },
          key,
        );
      expect(mine.status).toBe(201);
    });
  });
});

describe('throttling and upload limits (issue 12 §5)', () => {
  let world: World;
  let pair: DocumentsPair;
  beforeAll(async () => {
    const api = await startApi({
      env: {
        ACCORD_AUTH_FAILURE_BURST_PER_IP: '8',
        ACCORD_AUTH_FAILURE_BURST_PER_TOKEN: '3',
        ACCORD_UPLOAD_QUOTA_BYTES_PER_DAY: '20000',
        ACCORD_UPLOAD_MAX_CONCURRENT: '1',
      },
    });
    world = await World.build(api);
    pair = await buildPair(world, world.org('own'), world.org('other'));
  });
  afterAll(() => world?.close());

  const bad = (token: string) => fetch(`${world.url}/me`, { headers: { authorization: `Bearer ${token}` } });

  it('failed authentications with one token prefix answer 429 with Retry-After after the burst', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await bad(`acc_guessAAAAAAA${i}`)).status);
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    const res = await bad('acc_guessAAAAAAAz');
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(res.headers.get('content-type')).toContain(PROBLEM);
    expect(((await res.json()) as { type: string }).type).toBe(
      'https://accord.example/problems/auth.throttled',
    );
  });

  it('then per client IP, whatever the token; the refusals are a metric', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await bad(`acc_${i}other${'x'.repeat(i)}`)).status);
    // 3 failures were already counted for this IP above (the 429s are not failures), so 5 more reach 8.
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    // Once the IP is throttled, even a valid token waits: a guesser must not learn from a 200 among 429s.
    const valid = await world.client(pair.sender.users['ig-lead'].token).get('/me');
    expect(valid.status).toBe(429);
    const metrics = await (await fetch(`${world.url}/metrics`)).text();
    expect(metrics).toMatch(/accord_abuse_refusals_total\{reason="auth-throttled"\} [1-9]/);
  });

  it('a second upload while one streams is refused (concurrency cap); a quota overrun is refused and recorded', async () => {
    // The IP is throttled by the case above for a minute; start this one from clean counters instead.
    const counters = world.api.app.get<InMemoryAbuseCounters>(ABUSE_COUNTERS);
    (counters as unknown as { windows: Map<string, unknown> }).windows.clear();
    const practitioner = pair.sender.users.practitioner.token;
    const url = new URL(`${world.url}/documents`);
    // An upload that sends its metadata and then stalls, holding the organisation's only slot.
    const boundary = 'stall-boundary';
    const head =
      `--${boundary}\r\nContent-Disposition: form-data; name="metadata"\r\n\r\n` +
      `${JSON.stringify(pairMetadata(pair))}\r\n--${boundary}\r\n` +
      `Content-Disposition: form-data; name="payload"; filename="p.bin"\r\n\r\nsome bytes`;
    const stalled = httpRequest({
      host: url.hostname,
      port: url.port,
      path: '/documents',
      method: 'POST',
      headers: {
        authorization: `Bearer ${practitioner}`,
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'transfer-encoding': 'chunked',
      },
    });
    stalled.on('error', () => undefined);
    stalled.write(head);
    await new Promise((r) => setTimeout(r, 300));
    const second = await share(world.client(practitioner), pairMetadata(pair), 'second');
    expect(second.status).toBe(429);
    expect(second.body.type).toBe('https://accord.example/problems/documents.upload-concurrency-exceeded');
    stalled.destroy();
    await new Promise((r) => setTimeout(r, 300));

    // Within the quota: accepted.
    const ok = await share(world.client(practitioner), pairMetadata(pair), 'x'.repeat(5000));
    expect(ok.status).toBe(201);
    const over = await share(world.client(practitioner), pairMetadata(pair), 'x'.repeat(30000));
    expect(over.status).toBe(429);
    expect(over.body.type).toBe('https://accord.example/problems/documents.upload-quota-exceeded');
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    const store = world.api.app.get<EventStore>(EVENT_STORE);
    const events = await store.readStream(`upload-quota-${pair.sender.id}`);
    expect(events.map((e) => e.type)).toEqual(['UploadQuotaExceeded']);
    expect(events[0]!.data).toMatchObject({ orgId: pair.sender.id, quotaBytes: 20000 });
    const metrics = await (await fetch(`${world.url}/metrics`)).text();
    expect(metrics).toMatch(/accord_abuse_refusals_total\{reason="upload-quota"\} [1-9]/);
    expect(metrics).toMatch(/accord_abuse_refusals_total\{reason="upload-concurrency"\} [1-9]/);
  });
});
