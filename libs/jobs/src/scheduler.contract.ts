import {
  DuplicateJobHandlerError,
  InvalidJobDataError,
  InvalidJobError,
  MissingJobHandlerError,
  SchedulerStateError,
  UnknownJobError,
} from './errors';
import { collectFailures, gate, sleep, waitFor, WAIT_MS } from './scheduler.fixtures';
import { Job, JobData, Scheduler } from './scheduler.port';

/**
 * The one contract every Scheduler adapter passes (docs/architecture.md §20.4); each adapter's spec calls
 * testScheduler in a few lines. Waits are bounded polls, never assertions on how long something took,
 * except lower bounds that backoff itself guarantees.
 */
export interface SchedulerHarness {
  scheduler: Scheduler;
  /** Stops the scheduler if the test did not and removes what it left in its backend. */
  cleanup(): Promise<void>;
  /** Kills the backend hard and starts it again on the same address with the same data; absent in-process. */
  restartBackend?(): Promise<void>;
}

export interface SchedulerContractOptions {
  create(): Promise<SchedulerHarness>;
  /** A reason to skip the whole suite (printed), e.g. no server reachable. */
  skip?: string;
}

export function testScheduler(adapterName: string, opts: SchedulerContractOptions): void {
  if (opts.skip) console.warn(`Scheduler contract for ${adapterName} skipped: ${opts.skip}`);
  const suite = opts.skip ? describe.skip : describe;

  suite(`Scheduler contract: ${adapterName}`, () => {
    let h: SchedulerHarness;
    const s = (): Scheduler => h.scheduler;
    beforeEach(async () => {
      h = await opts.create();
    });
    afterEach(async () => {
      await h?.cleanup();
    });

    it('runs an enqueued job once, handing it its id, name, data and attempt number', async () => {
      const runs: Job[] = [];
      s().register('retention.destroy', async (job) => void runs.push(job));
      await s().start();
      await s().enqueue(
        'retention.destroy',
        { documentId: 'd-1', version: 2, held: false },
        { jobId: 'retention:d-1' },
      );
      await s().idle({ timeoutMs: WAIT_MS });
      expect(runs).toEqual([
        {
          id: 'retention:d-1',
          name: 'retention.destroy',
          data: { documentId: 'd-1', version: 2, held: false },
          attempt: 1,
        },
      ]);
    });

    it('runs a job enqueued twice with the same id while it is pending only once', async () => {
      const runs: string[] = [];
      s().register('destroy', async (job) => void runs.push(job.id));
      await s().enqueue('destroy', { documentId: 'd-1' }, { jobId: 'retention:d-1', delayMs: 100 });
      await s().enqueue('destroy', { documentId: 'd-1' }, { jobId: 'retention:d-1', delayMs: 100 });
      await s().enqueue('destroy', { documentId: 'd-1' }, { jobId: 'retention:d-1' });
      await s().start();
      await s().idle({ timeoutMs: WAIT_MS });
      // Past the first two enqueues' delay: a duplicate that slipped through would have run by now.
      await sleep(200);
      await s().idle({ timeoutMs: WAIT_MS });
      expect(runs).toEqual(['retention:d-1']);
    });

    it('ignores an enqueue of an id that is active, and runs it again once it has completed', async () => {
      const runs: string[] = [];
      const release = gate();
      s().register('destroy', async (job) => {
        runs.push(job.id);
        if (runs.length === 1) await release.promise;
      });
      await s().start();
      await s().enqueue('destroy', { documentId: 'd-1' }, { jobId: 'retention:d-1' });
      await waitFor(() => runs.length === 1);
      await s().enqueue('destroy', { documentId: 'd-1' }, { jobId: 'retention:d-1' });
      release.open();
      await s().idle({ timeoutMs: WAIT_MS });
      expect(runs).toHaveLength(1);
      // De-duplication holds only while the job exists (docs/architecture.md §18.5): handlers stay
      // idempotent.
      await s().enqueue('destroy', { documentId: 'd-1' }, { jobId: 'retention:d-1' });
      await s().idle({ timeoutMs: WAIT_MS });
      expect(runs).toEqual(['retention:d-1', 'retention:d-1']);
    });

    it('scopes job ids to their job name', async () => {
      const runs: string[] = [];
      s().register('destroy', async (job) => void runs.push(`${job.name}/${job.id}`));
      s().register('notify', async (job) => void runs.push(`${job.name}/${job.id}`));
      await s().start();
      await s().enqueue('destroy', {}, { jobId: 'same' });
      await s().enqueue('notify', {}, { jobId: 'same' });
      await s().idle({ timeoutMs: WAIT_MS });
      expect(runs.sort()).toEqual(['destroy/same', 'notify/same']);
    });

    it('retries a failing job with exponential backoff until it succeeds', async () => {
      const seen: { attempt: number; at: number }[] = [];
      s().register(
        'flaky',
        async (job) => {
          seen.push({ attempt: job.attempt, at: Date.now() });
          if (job.attempt < 3) throw new Error('transient');
        },
        { attempts: 5, backoffMs: 40 },
      );
      const failures = collectFailures(s());
      await s().start();
      await s().enqueue('flaky', { documentId: 'd-1' }, { jobId: 'flaky-1' });
      await s().idle({ timeoutMs: WAIT_MS });
      expect(seen.map((r) => r.attempt)).toEqual([1, 2, 3]);
      expect(failures).toEqual([]);
      // Lower bounds only: backoff promises at least 40 ms, then at least 80 ms (slack for clock rounding).
      expect(seen[1]!.at - seen[0]!.at).toBeGreaterThanOrEqual(35);
      expect(seen[2]!.at - seen[1]!.at).toBeGreaterThanOrEqual(75);
    });

    it('reports a job that exhausts its attempts, and frees its id for the next sweep to enqueue again', async () => {
      let runs = 0;
      s().register(
        'doomed',
        async () => {
          runs++;
          throw new Error('storage unavailable');
        },
        { attempts: 2, backoffMs: 10 },
      );
      const failures = collectFailures(s());
      await s().start();
      await s().enqueue('doomed', { documentId: 'd-9' }, { jobId: 'retention:d-9' });
      await waitFor(() => failures.length === 1);
      expect(runs).toBe(2);
      expect(failures[0]).toMatchObject({
        id: 'retention:d-9',
        name: 'doomed',
        data: { documentId: 'd-9' },
        attempts: 2,
        error: expect.objectContaining({ message: 'storage unavailable' }),
      });
      await s().enqueue('doomed', { documentId: 'd-9' }, { jobId: 'retention:d-9' });
      await waitFor(() => failures.length === 2);
      expect(runs).toBe(4);
    });

    it('fires a repeat schedule again and again', async () => {
      const runs: Job[] = [];
      s().register('sweep', async (job) => void runs.push(job));
      await s().repeat('sweep', 50, { batch: 100 });
      await s().start();
      await waitFor(() => runs.length >= 3);
      expect(runs.every((r) => r.name === 'sweep' && r.data['batch'] === 100)).toBe(true);
      expect(new Set(runs.map((r) => r.id)).size).toBe(runs.length);
    });

    it('keeps one schedule per name: repeating it again replaces interval and data', async () => {
      const data: JobData[] = [];
      s().register('sweep', async (job) => void data.push(job.data));
      await s().repeat('sweep', 60_000, { round: 1 });
      await s().repeat('sweep', 50, { round: 2 });
      expect(await s().schedules()).toEqual([{ name: 'sweep', everyMs: 50, data: { round: 2 } }]);
      await s().start();
      await waitFor(() => data.length >= 3);
      // Were the first schedule still there, its 60 s interval could not have produced these runs.
      expect(data.slice(1).every((d) => d['round'] === 2)).toBe(true);
      expect(await s().schedules()).toHaveLength(1);
    });

    it('runs at most `concurrency` jobs of a name at once (one by default)', async () => {
      const inFlight = { wide: 0, narrow: 0 };
      const peak = { wide: 0, narrow: 0 };
      const track = (name: 'wide' | 'narrow') => async () => {
        inFlight[name]++;
        peak[name] = Math.max(peak[name], inFlight[name]);
        await sleep(30);
        inFlight[name]--;
      };
      s().register('wide', track('wide'), { concurrency: 2 });
      s().register('narrow', track('narrow'));
      for (let i = 0; i < 6; i++) {
        await s().enqueue('wide', { i }, { jobId: `w-${i}` });
        await s().enqueue('narrow', { i }, { jobId: `n-${i}` });
      }
      await s().start();
      await s().idle({ timeoutMs: WAIT_MS });
      expect(peak).toEqual({ wide: 2, narrow: 1 });
    });

    it('waits for an active job when stopped, then reports itself stopped', async () => {
      let started = false;
      let finished = false;
      s().register('slow', async () => {
        started = true;
        await sleep(150);
        finished = true;
      });
      await s().start();
      expect(await s().health()).toMatchObject({ ok: true, state: 'running', adapter: s().adapter });
      await s().enqueue('slow', {}, { jobId: 'slow-1' });
      await waitFor(() => started);
      await s().stop({ timeoutMs: WAIT_MS });
      expect(finished).toBe(true);
      expect(await s().health()).toMatchObject({ ok: false, state: 'stopped' });
      await expect(s().enqueue('slow', {}, { jobId: 'slow-2' })).rejects.toBeInstanceOf(SchedulerStateError);
    });

    it('refuses to start while an enqueued or repeated name has no handler', async () => {
      s().register('known', async () => undefined);
      await s().enqueue('orphan', {}, { jobId: 'o-1' });
      await s().repeat('orphan-sweep', 1000);
      const refusal = s().start();
      await expect(refusal).rejects.toBeInstanceOf(MissingJobHandlerError);
      await expect(refusal).rejects.toMatchObject({ jobNames: ['orphan', 'orphan-sweep'] });
      expect((await s().health()).state).toBe('created');
    });

    it('refuses a second handler for a name, at registration and again at start', async () => {
      s().register('destroy', async () => undefined);
      expect(() => s().register('destroy', async () => undefined)).toThrow(DuplicateJobHandlerError);
      await expect(s().start()).rejects.toBeInstanceOf(DuplicateJobHandlerError);
    });

    it('refuses, once started, to enqueue a name that has no handler', async () => {
      s().register('known', async () => undefined);
      await s().start();
      await expect(s().enqueue('unknown', {}, { jobId: 'u-1' })).rejects.toBeInstanceOf(UnknownJobError);
      await expect(s().repeat('unknown', 1000)).rejects.toBeInstanceOf(UnknownJobError);
      expect(() => s().register('late', async () => undefined)).toThrow(SchedulerStateError);
    });

    it('refuses job data that is not a flat object of strings, numbers and booleans', async () => {
      let runs = 0;
      s().register('destroy', async () => void runs++);
      await s().start();
      const bad: unknown[] = [
        { nested: { documentId: 'd-1' } },
        { list: ['d-1'] },
        { missing: null },
        { missing: undefined },
        { when: new Date(0) },
        { count: Number.NaN },
        { big: 1n },
        ['d-1'],
        new Map([['documentId', 'd-1']]),
        'd-1',
      ];
      for (const data of bad)
        await expect(s().enqueue('destroy', data as JobData, { jobId: 'd-1' })).rejects.toBeInstanceOf(
          InvalidJobDataError,
        );
      await expect(s().repeat('destroy', 1000, { nested: {} } as unknown as JobData)).rejects.toBeInstanceOf(
        InvalidJobDataError,
      );
      await s().idle({ timeoutMs: WAIT_MS });
      expect(runs).toBe(0);
    });

    it('refuses job ids that are empty, bare integers or outside [A-Za-z0-9._:-]', async () => {
      s().register('destroy', async () => undefined);
      for (const jobId of ['', '42', '-7', 'has space', 'a/b', 'x'.repeat(201)])
        await expect(s().enqueue('destroy', {}, { jobId })).rejects.toBeInstanceOf(InvalidJobError);
      await expect(s().enqueue('Not A Name', {}, { jobId: 'x' })).rejects.toBeInstanceOf(InvalidJobError);
    });

    it('runs jobs that were pending when the backend went down once it is back, each exactly once', async () => {
      if (!h.restartBackend) {
        console.warn(`Scheduler contract for ${adapterName}: no backend to restart, case not run`);
        return;
      }
      const ran: string[] = [];
      s().register('resume', async (job) => void ran.push(job.id), { concurrency: 4 });
      await s().start();
      const ids = Array.from({ length: 12 }, (_, i) => `resume:${i}`);
      for (const jobId of ids) await s().enqueue('resume', { i: jobId }, { jobId, delayMs: 1000 });
      expect(ran).toEqual([]);
      await h.restartBackend();
      await s().idle({ timeoutMs: 20_000 });
      expect([...ran].sort()).toEqual([...ids].sort());
    });
  });
}
