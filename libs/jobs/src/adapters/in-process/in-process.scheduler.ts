import { SchedulerStateError } from '../../errors';
import {
  consoleSchedulerLogger,
  errorFields,
  JobRegistry,
  RegisteredJob,
  SchedulerLogger,
} from '../../job-registry';
import { idleWaiter, IdleWaiter } from '../../idle-waiter';
import {
  assertInteger,
  assertJobId,
  assertJobName,
  backoffDelay,
  checkedJobData,
} from '../../job-validation';
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
import { UnrefTimer } from './unref-timer';

export interface InProcessSchedulerOptions {
  logger?: SchedulerLogger;
}

interface Entry {
  readonly key: string;
  readonly id: string;
  readonly name: string;
  readonly data: JobData;
  attempt: number;
  state: 'delayed' | 'waiting' | 'active';
  timer?: UnrefTimer;
}

interface Repeat {
  everyMs: number;
  data: JobData;
  nextAt: number;
  timer?: UnrefTimer;
  /** The iteration last queued: the next is skipped while this one still waits, as BullMQ does. */
  lastKey?: string;
}

const DEFAULT_STOP_TIMEOUT_MS = 10_000;

/**
 * The embedded scheduler: jobs live in this process's memory and run on its event loop. Nothing survives
 * a restart, which is acceptable only because every job is re-derivable from the event-sourced schedule
 * (docs/architecture.md §18.5): the first sweep after start-up enqueues again whatever was pending.
 */
export class InProcessScheduler implements Scheduler {
  readonly adapter = 'in-process';
  private readonly registry: JobRegistry;
  private readonly logger: SchedulerLogger;
  /** By name and id: ids are scoped to their job name, as they are to a BullMQ queue. */
  private readonly entries = new Map<string, Entry>();
  private readonly waiting = new Map<string, Entry[]>();
  private readonly active = new Map<string, number>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly repeats = new Map<string, Repeat>();
  private readonly idleWaiters = new Set<IdleWaiter>();
  private state: SchedulerState = 'created';
  private stopping?: Promise<void>;

  constructor(options: InProcessSchedulerOptions = {}) {
    this.logger = options.logger ?? consoleSchedulerLogger;
    this.registry = new JobRegistry(this.logger);
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
    const key = `${name}\u0000${options.jobId}`;
    if (this.entries.has(key)) return;
    this.add({ key, id: options.jobId, name, data: checked, attempt: 0, state: 'waiting' }, delayMs);
  }

  async repeat(name: string, everyMs: number, data: JobData = {}): Promise<void> {
    this.assertOpen();
    assertJobName(name);
    assertInteger('everyMs', everyMs, 1);
    const checked = checkedJobData(data);
    this.registry.use(name);
    const previous = this.repeats.get(name);
    previous?.timer?.cancel();
    // The same interval again keeps its phase (as BullMQ's upsert does); a new one starts now.
    const nextAt = previous?.everyMs === everyMs ? previous.nextAt : Date.now();
    const repeat: Repeat = { everyMs, data: checked, nextAt, lastKey: previous?.lastKey };
    this.repeats.set(name, repeat);
    if (this.state === 'running') this.tick(name, repeat);
  }

  async schedules(): Promise<RepeatSchedule[]> {
    return [...this.repeats].map(([name, r]) => ({ name, everyMs: r.everyMs, data: r.data }));
  }

  onFailed(listener: FailureListener): () => void {
    return this.registry.onFailed(listener);
  }

  async start(): Promise<void> {
    if (this.state !== 'created')
      throw new SchedulerStateError(`cannot start a scheduler that is ${this.state}`);
    this.registry.seal();
    this.state = 'running';
    for (const [name, repeat] of this.repeats) this.tick(name, repeat);
    for (const name of this.registry.handledNames()) this.pump(name);
  }

  stop(options: StopOptions = {}): Promise<void> {
    this.stopping ??= this.shutdown(options.timeoutMs ?? DEFAULT_STOP_TIMEOUT_MS);
    return this.stopping;
  }

  async health(): Promise<SchedulerHealth> {
    const ok = this.state === 'running';
    return {
      ok,
      adapter: this.adapter,
      state: this.state,
      ...(ok ? {} : { detail: `scheduler ${this.state}` }),
    };
  }

  idle(options: IdleOptions = {}): Promise<void> {
    if (this.entries.size === 0) return Promise.resolve();
    const waiter = idleWaiter(options.timeoutMs, () => this.idleWaiters.delete(waiter));
    this.idleWaiters.add(waiter);
    return waiter.promise;
  }

  private async shutdown(timeoutMs: number): Promise<void> {
    this.state = 'stopping';
    for (const repeat of this.repeats.values()) repeat.timer?.cancel();
    for (const entry of this.entries.values()) {
      if (entry.state === 'active') continue;
      entry.timer?.cancel();
      this.entries.delete(entry.key);
    }
    this.waiting.clear();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), timeoutMs);
    });
    const finished = Promise.allSettled([...this.inFlight]).then(() => false);
    const gaveUp = await Promise.race([finished, timedOut]);
    clearTimeout(timer);
    if (gaveUp)
      this.logger.warn({ active: this.inFlight.size, timeoutMs }, 'scheduler stopped with jobs still active');
    this.state = 'stopped';
    this.notifyIfIdle();
  }

  private add(entry: Entry, delayMs: number): void {
    this.entries.set(entry.key, entry);
    if (delayMs > 0) {
      entry.state = 'delayed';
      entry.timer = new UnrefTimer(delayMs, () => this.makeWaiting(entry));
    } else {
      this.makeWaiting(entry);
    }
  }

  private makeWaiting(entry: Entry): void {
    entry.state = 'waiting';
    entry.timer = undefined;
    const queue = this.waiting.get(entry.name) ?? [];
    queue.push(entry);
    this.waiting.set(entry.name, queue);
    this.pump(entry.name);
  }

  private pump(name: string): void {
    if (this.state !== 'running') return;
    const job = this.registry.get(name);
    const queue = this.waiting.get(name);
    if (!job || !queue) return;
    while (queue.length > 0 && (this.active.get(name) ?? 0) < job.options.concurrency) {
      this.run(queue.shift()!, job);
    }
  }

  private run(entry: Entry, job: RegisteredJob): void {
    entry.state = 'active';
    entry.attempt += 1;
    this.active.set(entry.name, (this.active.get(entry.name) ?? 0) + 1);
    const running = this.execute(entry, job).finally(() => {
      this.inFlight.delete(running);
      this.active.set(entry.name, (this.active.get(entry.name) ?? 1) - 1);
      this.pump(entry.name);
      this.notifyIfIdle();
    });
    this.inFlight.add(running);
  }

  private async execute(entry: Entry, job: RegisteredJob): Promise<void> {
    const { id, name, data, attempt } = entry;
    try {
      // Through a promise, so a handler that throws synchronously is retried like one that rejects.
      await Promise.resolve().then(() => job.handler({ id, name, data, attempt }));
      this.entries.delete(entry.key);
    } catch (error) {
      if (this.state !== 'running') {
        // Stopping drops pending work; this retry would have been pending.
        this.entries.delete(entry.key);
        this.logger.warn(
          { job: name, jobId: id, attempt, ...errorFields(error) },
          'job failed while stopping',
        );
      } else if (attempt < job.options.attempts) {
        this.add(entry, backoffDelay(job.options.backoffMs, attempt));
      } else {
        this.entries.delete(entry.key);
        this.registry.reportFailure({ id, name, data, attempts: attempt, error });
      }
    }
  }

  /** Fixed rate from the previous due time, so a slow event loop does not push every later sweep back. */
  private tick(name: string, repeat: Repeat): void {
    if (this.state !== 'running' || this.repeats.get(name) !== repeat) return;
    const now = Date.now();
    if (repeat.nextAt <= now) {
      const last = repeat.lastKey === undefined ? undefined : this.entries.get(repeat.lastKey);
      if (!last || last.state === 'active') {
        const id = `repeat:${name}:${repeat.nextAt}`;
        repeat.lastKey = `${name}\u0000${id}`;
        this.add({ key: repeat.lastKey, id, name, data: repeat.data, attempt: 0, state: 'waiting' }, 0);
      }
      repeat.nextAt += repeat.everyMs * (Math.floor((now - repeat.nextAt) / repeat.everyMs) + 1);
    }
    repeat.timer = new UnrefTimer(repeat.nextAt - now, () => this.tick(name, repeat));
  }

  private notifyIfIdle(): void {
    if (this.entries.size > 0) return;
    for (const waiter of this.idleWaiters) waiter.resolve();
  }

  private assertOpen(): void {
    if (this.state === 'stopping' || this.state === 'stopped')
      throw new SchedulerStateError(`the scheduler is ${this.state}`);
  }
}
