import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { IsInt, IsString, Length, Min, ValidateNested } from 'class-validator';
import { Type } from 'class-transformer';
import { fail, organisationStreamId } from '@accord/domain';
import { EVENT_STORE, EventStore, WrongExpectedRevisionError } from '@accord/event-store';
import { getStreamHead, ReadDb } from '@accord/projections';
import { AppLogger, Clock, Idempotency, IdempotencyKey, READ_DB, ReadYourWrites } from '@accord/platform';
import { Public } from '../../apps/api/src/auth';
import { RunningApi, startApi } from './support/api-harness';
import { json } from './support/built-apps';

class PartyDto {
  @IsString() orgId!: string;
}

class ProbeDto {
  @IsString() @Length(1, 20) name!: string;
  @IsInt() @Min(1) count!: number;
  @ValidateNested({ each: true }) @Type(() => PartyDto) parties!: PartyDto[];
}

/** Stands in for the feature controllers to come: each route exercises one rule of the HTTP platform. */
@Public()
@Controller('probe')
class ProbeController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_DB) private readonly readDb: ReadDb,
    private readonly readYourWrites: ReadYourWrites,
    private readonly clock: Clock,
    private readonly logger: AppLogger,
  ) {}

  @Post('validated')
  @HttpCode(200)
  validated(@Body() body: ProbeDto): ProbeDto {
    return body;
  }

  @Post('streams/:id/events')
  async append(@Param('id') id: string, @IdempotencyKey() idem: Idempotency) {
    const meta = { occurredAt: this.clock.nowIso(), actor: { system: 'probe' }, correlationId: 'probe' };
    const [a, b] = idem.eventIds(2);
    const result = await this.store.append(
      organisationStreamId(id),
      [
        { eventId: a!, type: 'ProbeHappened', data: { n: 1 }, meta },
        { eventId: b!, type: 'ProbeHappened', data: { n: 2 }, meta },
      ],
      'no-stream',
    );
    const caughtUp = await this.readYourWrites.settle(result);
    // Read from the read model straight after the write: read-your-writes makes this see it.
    const head = getStreamHead(this.readDb, organisationStreamId(id));
    return { duplicate: result.duplicate, caughtUp, eventCount: head?.eventCount ?? 0 };
  }

  @Get('domain-error')
  domainError(): never {
    throw fail('agreement.not-active', 'Every party must sign the current version first.', {
      agreementId: 'a-1',
    });
  }

  @Get('conflict')
  conflict(): never {
    throw new WrongExpectedRevisionError('agreement-a-1', 2, 3);
  }

  @Get('crash')
  crash(): never {
    this.logger.info('about to fail');
    throw new Error('SELECT nhs_number FROM subjects WHERE value = 9434765919');
  }
}

describe('the HTTP platform (problems, validation, idempotency, read-your-writes)', () => {
  let api: RunningApi;
  beforeAll(async () => {
    api = await startApi({ controllers: [ProbeController] });
  });
  afterAll(() => api?.close());

  const call = (path: string, init: RequestInit = {}) => fetch(api.url + path, init);
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    call(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  it('a valid DTO passes the global validation pipe', async () => {
    const res = await post('/probe/validated', { name: 'x', count: 2, parties: [{ orgId: 'o-1' }] });
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ name: 'x', count: 2, parties: [{ orgId: 'o-1' }] });
  });

  it('an invalid DTO is a 400 validation-failed problem listing each field by JSON Pointer, without the values', async () => {
    const res = await post('/probe/validated', {
      name: '',
      count: 0,
      parties: [{ orgId: 9434765919 }],
      extra: 'x',
    });
    expect(res.status).toBe(400);
    const body = await json(res);
    expect(body.type).toBe('https://accord.example/problems/validation-failed');
    const pointers = body.errors.map((e: { pointer: string }) => e.pointer);
    expect(pointers).toEqual(expect.arrayContaining(['/name', '/count', '/parties/0/orgId', '/extra']));
    expect(JSON.stringify(body)).not.toContain('9434765919');
  });

  it('a domain error renders its code as the problem type, its status, detail and safe extras', async () => {
    const res = await call('/probe/domain-error');
    expect(res.status).toBe(409);
    expect(await json(res)).toEqual({
      type: 'https://accord.example/problems/agreement.not-active',
      title: 'Agreement not active',
      status: 409,
      detail: 'Every party must sign the current version first.',
      instance: '/probe/domain-error',
      correlationId: res.headers.get('x-correlation-id'),
      agreementId: 'a-1',
    });
  });

  it('a concurrency conflict from the store is a 409 problem', async () => {
    const res = await call('/probe/conflict');
    expect(res.status).toBe(409);
    expect((await json(res)).type).toBe('https://accord.example/problems/concurrency-conflict');
  });

  it('an unexpected error is a 500 that leaks nothing, logged server-side with the correlation id', async () => {
    const res = await call('/probe/crash');
    expect(res.status).toBe(500);
    const body = await json(res);
    expect(body).toMatchObject({ type: 'https://accord.example/problems/internal', status: 500 });
    expect(JSON.stringify(body)).not.toMatch(/SELECT|9434765919|stack/);
    const id = res.headers.get('x-correlation-id');
    const failure = api.logs.find((l) => l.msg === 'request failed' && l.correlationId === id);
    expect(failure).toBeDefined();
    expect((failure!.err as { stack: string }).stack).toContain('ProbeController');
    // A log line written inside the handler carries the request's correlation id too.
    expect(api.logs.find((l) => l.msg === 'about to fail')?.correlationId).toBe(id);
  });

  it('a write is visible in the read models when it answers (read-your-writes)', async () => {
    const res = await post('/probe/streams/ryw/events', {});
    expect(res.status).toBe(201);
    expect(await json(res)).toEqual({ duplicate: false, caughtUp: true, eventCount: 2 });
  });

  it('a retry with the same Idempotency-Key appends nothing twice and answers as the first', async () => {
    const first = await json(await post('/probe/streams/idem/events', {}, { 'idempotency-key': 'retry-1' }));
    const retry = await json(await post('/probe/streams/idem/events', {}, { 'idempotency-key': 'retry-1' }));
    expect(first).toEqual({ duplicate: false, caughtUp: true, eventCount: 2 });
    expect(retry).toEqual({ duplicate: true, caughtUp: true, eventCount: 2 });
  });

  it('a write answers with the log position of its last event, a retry with the same one (Accord-Position)', async () => {
    const first = await post('/probe/streams/position/events', {}, { 'idempotency-key': 'position-1' });
    const retry = await post('/probe/streams/position/events', {}, { 'idempotency-key': 'position-1' });
    const [appended] = await api.app.get<EventStore>(EVENT_STORE).readStream('organisation-position', {
      fromRevision: 1,
    });
    expect(first.headers.get('accord-position')).toBe(String(appended!.position));
    expect(retry.headers.get('accord-position')).toBe(String(appended!.position));
    // A read appends nothing and states no position.
    expect((await call('/health/live')).headers.get('accord-position')).toBeNull();
  });

  it('a request echoing a position the read models have reached is answered as usual (Accord-Min-Position)', async () => {
    const write = await post('/probe/streams/echo/events', {});
    const position = write.headers.get('accord-position')!;
    const res = await call('/health/live', { headers: { 'accord-min-position': position } });
    expect(res.status).toBe(200);
  });

  it('a malformed Accord-Min-Position is a 400 problem, not a wait', async () => {
    for (const bad of ['abc', '-1', '1.5', '9'.repeat(20)]) {
      const res = await call('/health/live', { headers: { 'accord-min-position': bad } });
      expect(res.status).toBe(400);
      expect((await json(res)).type).toBe('https://accord.example/problems/invalid-min-position');
    }
  });

  it('a malformed Idempotency-Key is a 400 problem and appends nothing', async () => {
    const res = await post('/probe/streams/badkey/events', {}, { 'idempotency-key': 'has space' });
    expect(res.status).toBe(400);
    expect((await json(res)).type).toBe('https://accord.example/problems/invalid-idempotency-key');
    expect(await api.app.get<EventStore>(EVENT_STORE).readStream('organisation-badkey')).toEqual([]);
  });
});

describe('read-your-writes across nodes: a node that cannot reach the echoed position', () => {
  let api: RunningApi;
  beforeAll(async () => {
    api = await startApi({ env: { READ_YOUR_WRITES_TIMEOUT_MS: '200' } });
  });
  afterAll(() => api?.close());

  it('answers 503 with Retry-After after its timeout, never a stale read', async () => {
    const res = await fetch(`${api.url}/health/live`, { headers: { 'accord-min-position': '1000000' } });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    expect((await json(res)).type).toBe('https://accord.example/problems/service-unavailable');
  });
});
