import { Job as BullJob, JobsOptions, JobType, Queue, Worker } from 'bullmq';
import { SchedulerStateError } from '../../errors';
import { DEFAULT_IDLE_TIMEOUT_MS, pollUntil } from '../../idle-waiter';
import { consoleSchedulerLogger, errorFields, JobRegistry, SchedulerLogger } from '../../job-registry';
import { assertInteger, assertJobId, assertJobName, checkedJobData } from '../../job-validation';
import {
  EnqueueOptions,
  FailureListener,
  IdleOptions,
  JobData,
  JobHandler,
  RegisterOptions,
  RepeatSchedule,
  Scheduler,
  SchedulerHealth,
  SchedulerState,
  StopOptions,
} from '../../scheduler.port';
import type { BullmqSettings } from './bullmq.config';
import { bullmqRedisOptions, TrackedRedis } from './bullmq.connection';
import { decodeJobId, encodeJobId } from './bullmq.job-id';

const DEFAULT_STOP_TIMEOUT_MS = 10_000;
const CLOSE_STEP_MS = 2_000;
const PING_TIMEOUT_MS = 1_000;
/** ioredis statuses in which a command would only wait in the offline queue. */
const DOWN = new Set(['reconnecting', 'close', 'end']);
const COUNTED_STATES: JobType[] = ['active', 'waiting', 'prioritized', 'waiting-children', 'delayed'];

/**
 * Cluster-mode scheduler on BullMQ (docs/architecture.md §3, §18.5). One Queue and one Worker per job name
 * rather than one queue for all names: a Worker's concurrency applies to its whole queue, so per-name
 * concurrency needs per-name queues, and a backlog of one name never delays another.
 *
 * Redis is not the source of truth. Completed and failed jobs are removed at once: a failed job left in
 * Redis would keep its deterministic id taken, and the next sweep's enqueue of the same work would be
 * silently ignored; the failure is reported through onFailed and the log instead. Concurrency is per
 * process (each node's Worker), so the cluster runs up to nodes x concurrency jobs of a name at once.
 */
export class BullmqScheduler implements Scheduler {
  readonly adapter = 'bullmq';
  private readonly registry: JobRegistry;
  private readonly logger: SchedulerLogger;
  private readonly connection: TrackedRedis;
  private readonly prefix: string;
  private readonly lockMs: number;
  private readonly queues = new Map<string, Queue>();
  private readonly workers: Worker[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private state: SchedulerState = 'created';
  private stopping?: Promise<void>;
  private lastError?: unknown;
  private connectionLost = false;

  constructor(settings: BullmqSettings) {
    this.logger = settings.logger ?? consoleSchedulerLogger;
    this.registry = new JobRegistry(this.logger);
    this.prefix = settings.prefix ?? 'accord';
    this.lockMs = settings.lockMs ?? 30_000;
    this.connection = new TrackedRedis(settings.redisUrl, bullmqRedisOptions(settings.maxReconnectDelayMs));
    // Logged once per outage, not once per reconnection attempt.
    this.connection.on('error', (error: unknown) => {
      this.lastError = error;
      if (this.connectionLost) return;
      this.connectionLost = true;
      this.logger.warn(
        { adapter: this.adapter, ...errorFields(error) },
        'redis connection lost; jobs wait for it',
      );
    });
    this.connection.on('ready', () => {
      if (!this.connectionLost) return;
      this.connectionLost = false;
      this.logger.warn({ adapter: this.adapter }, 'redis connection restored');
    });
  }

  register(name: string, handler: JobHandler, options?: RegisterOptions): void {
    this.registry.register(name, handler, options);
  }

  async enqueue(name: string, data: JobData, options: EnqueueOptions): Promise<void> {
    this.assertOpen();
    assertJobName(name);
    assertJobId(options?.jobId);
    const delayMs = options.delayMs ?? 0;
    assertInteger('delayMs', delayMs, 0);
    const checked = checkedJobData(data);
    this.registry.use(name);
    // An existing job with this id makes add() a no-op inside BullMQ's Lua script: atomic de-duplication.
    await this.queue(name).add(name, checked, {
      ...this.jobOptions(name),
      jobId: encodeJobId(options.jobId),
      delay: delayMs,
    });
  }

  async repeat(name: string, everyMs: number, data: JobData = {}): Promise<void> {
    this.assertOpen();
    assertJobName(name);
    assertInteger('everyMs', everyMs, 1);
    const checked = checkedJobData(data);
    this.registry.use(name);
    const queue = this.queue(name);
    // BullMQ keeps an `every` schedule's phase offset across upserts; carried over to a new interval it
    // can put the next run far beyond that interval, so a changed interval starts a fresh schedule.
    const existing = await queue.getJobScheduler(name);
    if (existing && Number(existing.every) !== everyMs) await queue.removeJobScheduler(name);
    // The scheduler id is the job name: every node upserting it leaves one schedule in Redis.
    await queue.upsertJobScheduler(
      name,
      { every: everyMs },
      { name, data: checked, opts: this.jobOptions(name) },
    );
  }

  async schedules(): Promise<RepeatSchedule[]> {
    const found: RepeatSchedule[] = [];
    for (const name of this.registry.names()) {
      for (const s of await this.queue(name).getJobSchedulers()) {
        if (s.every === undefined) continue;
        found.push({ name: s.name, everyMs: Number(s.every), data: checkedJobData(s.template?.data ?? {}) });
      }
    }
    return found;
  }

  onFailed(listener: FailureListener): () => void {
    return this.registry.onFailed(listener);
  }

  async start(): Promise<void> {
    if (this.state !== 'created')
      throw new SchedulerStateError(`cannot start a scheduler that is ${this.state}`);
    this.registry.seal();
    this.state = 'running';
    for (const name of this.registry.handledNames()) this.workers.push(this.worker(name));
  }

  stop(options: StopOptions = {}): Promise<void> {
    this.stopping ??= this.shutdown(options.timeoutMs ?? DEFAULT_STOP_TIMEOUT_MS);
    return this.stopping;
  }

  async health(): Promise<SchedulerHealth> {
    const base = { adapter: this.adapter, state: this.state };
    if (this.state !== 'running') return { ...base, ok: false, detail: `scheduler ${this.state}` };
    if (DOWN.has(this.connection.status)) return { ...base, ok: false, detail: this.redisDetail() };
    try {
      // A connection still being made is given the ping's time to come up rather than reported down.
      await withTimeout(this.connection.ping(), PING_TIMEOUT_MS);
      return { ...base, ok: true };
    } catch {
      return { ...base, ok: false, detail: this.redisDetail() };
    }
  }

  idle(options: IdleOptions = {}): Promise<void> {
    return pollUntil(() => this.isIdle(), options.timeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS);
  }

  /**
   * Counts are read atomically, the delayed jobs are not: a retry can move out and back in between the two
   * reads. Every move appends to the queue's event stream, so an unchanged last event id around the reads
   * shows they saw one state.
   */
  private async isIdle(): Promise<boolean> {
    for (const name of this.registry.names()) {
      const queue = this.queue(name);
      const lastEvent = async (): Promise<string> =>
        (await this.connection.xrevrange(queue.keys.events, '+', '-', 'COUNT', 1))[0]?.[0] ?? '';
      const before = await lastEvent();
      const counts = await queue.getJobCounts(...COUNTED_STATES);
      if (COUNTED_STATES.some((state) => state !== 'delayed' && (counts[state] ?? 0) > 0)) return false;
      if ((counts['delayed'] ?? 0) === 0) continue;
      // The next iteration a job scheduler keeps delayed is not pending work; a retry waiting out its backoff is.
      const delayed = await queue.getJobs('delayed');
      if (delayed.some((job) => !job.repeatJobKey || job.attemptsMade > 0)) return false;
      if ((await lastEvent()) !== before) return false;
    }
    return true;
  }

  private worker(name: string): Worker {
    const { handler, options } = this.registry.get(name)!;
    const worker = new Worker(
      name,
      async (job: BullJob) => {
        const data = Object.freeze({ ...(job.data as JobData) });
        const attempt = job.attemptsMade + 1;
        // Through a promise, so a handler that throws synchronously is still counted and retried.
        const run = Promise.resolve().then(() =>
          handler({ id: decodeJobId(job.id ?? ''), name, data, attempt }),
        );
        this.inFlight.add(run);
        try {
          await run;
        } finally {
          this.inFlight.delete(run);
        }
      },
      {
        connection: this.connection,
        prefix: this.prefix,
        concurrency: options.concurrency,
        lockDuration: this.lockMs,
        stalledInterval: this.lockMs,
      },
    );
    worker.on('failed', (job, error) => {
      // Undefined when a stalled job hit its limit and removeOnFail removed it: nothing left to describe.
      if (!job || job.attemptsMade < (job.opts.attempts ?? 1)) return;
      const data = Object.freeze({ ...(job.data as JobData) });
      this.registry.reportFailure({
        id: decodeJobId(job.id ?? ''),
        name,
        data,
        attempts: job.attemptsMade,
        error,
      });
    });
    worker.on('error', (error) => {
      this.lastError = error;
    });
    return worker;
  }

  private queue(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.connection, prefix: this.prefix });
      // BullMQ re-emits connection errors here; without a listener Node would throw them.
      queue.on('error', (error) => {
        this.lastError = error;
      });
      this.queues.set(name, queue);
    }
    return queue;
  }

  private jobOptions(name: string): JobsOptions {
    const { attempts, backoffMs } = this.registry.optionsOf(name);
    return {
      attempts,
      backoff: { type: 'exponential', delay: backoffMs },
      removeOnComplete: true,
      removeOnFail: true,
    };
  }

  private async shutdown(timeoutMs: number): Promise<void> {
    this.state = 'stopping';
    // A graceful close stops fetching, waits for active jobs and records their outcome in Redis; during
    // an outage it would wait for Redis forever, so then the workers are only told to stop fetching.
    const up = this.connection.status === 'ready';
    const closing = Promise.allSettled(this.workers.map((w) => w.close(!up)));
    const finished = await bounded(Promise.allSettled([...this.inFlight]), timeoutMs);
    if (!finished)
      // Still locked in Redis: once the lock expires, a node's stalled-job check runs it again.
      this.logger.warn({ adapter: this.adapter, timeoutMs }, 'scheduler stopped with jobs still active');
    if (up && finished) await bounded(closing, CLOSE_STEP_MS);
    const queues = Promise.allSettled([...this.queues.values()].map((q) => q.close()));
    if (this.connection.status === 'ready') {
      await bounded(queues, CLOSE_STEP_MS);
      await bounded(this.connection.quit(), CLOSE_STEP_MS);
    }
    // Whatever is still waiting on a connection now fails and finishes; nothing keeps the process alive.
    this.connection.disconnectAll();
    this.state = 'stopped';
  }

  private redisDetail(): string {
    const code = (this.lastError as { code?: unknown } | undefined)?.code;
    return `redis ${this.connection.status}${typeof code === 'string' ? ` (${code})` : ''}`;
  }

  private assertOpen(): void {
    if (this.state === 'stopping' || this.state === 'stopped')
      throw new SchedulerStateError(`the scheduler is ${this.state}`);
  }
}

/** True if promise settled within ms; the timer is cleared either way. */
async function bounded(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const settled = promise.then(
    () => true,
    () => true,
  );
  try {
    return await Promise.race([settled, expired]);
  } finally {
    clearTimeout(timer);
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  if (await bounded(promise, ms)) return promise;
  promise.catch(() => undefined);
  throw new Error(`no answer within ${ms} ms`);
}
