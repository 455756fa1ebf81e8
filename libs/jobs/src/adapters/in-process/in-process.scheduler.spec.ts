import { silentSchedulerLogger, SchedulerLogger } from '../../job-registry';
import { testScheduler } from '../../scheduler.contract';
import { collectFailures, gate, waitFor } from '../../scheduler.fixtures';
import { InProcessScheduler } from './in-process.scheduler';

testScheduler('in-process', {
  async create() {
    const scheduler = new InProcessScheduler({ logger: silentSchedulerLogger });
    return { scheduler, cleanup: () => scheduler.stop() };
  },
});

describe('InProcessScheduler', () => {
  let scheduler: InProcessScheduler;
  afterEach(() => scheduler.stop());

  it('logs a job that exhausts its attempts with its name, id and error, never its data', async () => {
    const lines: { fields: Record<string, unknown>; message: string }[] = [];
    const logger: SchedulerLogger = {
      warn: () => undefined,
      error: (fields, message) => void lines.push({ fields, message }),
    };
    scheduler = new InProcessScheduler({ logger });
    scheduler.register('doomed', () => Promise.reject(new TypeError('bad state')), { attempts: 1 });
    const failures = collectFailures(scheduler);
    await scheduler.start();
    await scheduler.enqueue('doomed', { documentId: 'doc-secret-ish' }, { jobId: 'd-1' });
    await scheduler.idle();
    expect(failures).toHaveLength(1);
    expect(lines).toEqual([
      {
        message: 'job failed and exhausted its attempts',
        fields: { job: 'doomed', jobId: 'd-1', attempts: 1, error: 'TypeError', message: 'bad state' },
      },
    ]);
    expect(JSON.stringify(lines)).not.toContain('doc-secret-ish');
  });

  it('drops pending jobs at stop and gives up on an active one after the timeout', async () => {
    scheduler = new InProcessScheduler({ logger: silentSchedulerLogger });
    const stuck = gate();
    let started = 0;
    scheduler.register('stuck', async () => {
      started++;
      await stuck.promise;
    });
    await scheduler.start();
    await scheduler.enqueue('stuck', {}, { jobId: 's-1' });
    await scheduler.enqueue('stuck', {}, { jobId: 's-2' });
    await waitFor(() => started === 1);
    await scheduler.stop({ timeoutMs: 20 });
    expect((await scheduler.health()).state).toBe('stopped');
    stuck.open();
    await new Promise((r) => setTimeout(r, 20));
    expect(started).toBe(1);
  });

  it('skips a repeat iteration while the previous one still waits, rather than piling them up', async () => {
    scheduler = new InProcessScheduler({ logger: silentSchedulerLogger });
    const release = gate();
    const ids: string[] = [];
    scheduler.register('sweep', async (job) => {
      ids.push(job.id);
      await release.promise;
    });
    await scheduler.repeat('sweep', 10);
    await scheduler.start();
    // One running, at most one queued behind it, however many intervals pass.
    await new Promise((r) => setTimeout(r, 100));
    release.open();
    await waitFor(() => ids.length >= 3);
    expect(ids.slice(0, 2).every((id) => /^repeat:sweep:\d+$/.test(id))).toBe(true);
    expect(ids[1]).not.toBe(ids[0]);
  });
});
