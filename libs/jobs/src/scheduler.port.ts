/**
 * A value a job may carry: ids, counts and flags only. Job payloads never hold personal data
 * (docs/architecture.md §19.3); a handler loads what it needs from the event store by id. Primitives also
 * survive the JSON round trip through Redis unchanged, so both adapters hand the handler exactly what was
 * enqueued.
 */
export type JobDataValue = string | number | boolean;
export type JobData = Readonly<Record<string, JobDataValue>>;

export interface Job {
  /** The id it was enqueued with; a repeat iteration's id is `repeat:<name>:<scheduled millis>`. */
  id: string;
  name: string;
  data: JobData;
  /** 1 on the first run, counting up with each retry. */
  attempt: number;
}

/**
 * Delivery is at least once in every adapter (a crash between the work and its acknowledgement runs it
 * again), so a handler must finish the work without repeating it when re-run (docs/architecture.md §20.9).
 */
export type JobHandler = (job: Job) => Promise<void>;

export interface RegisterOptions {
  /** Jobs of this name running at once in this process. Default 1. */
  concurrency?: number;
  /** Runs in all, the first included. Default 3. */
  attempts?: number;
  /** Wait before the first retry; it doubles for each later one (exponential backoff). Default 1000. */
  backoffMs?: number;
}

export interface EnqueueOptions {
  /**
   * Deterministic id (`retention:<documentId>`, docs/architecture.md §20.9): 1..200 of [A-Za-z0-9._:-], not a
   * bare integer. Ids are scoped to the job name. An enqueue is ignored while a job of that name and id is
   * pending or active; once it has completed or exhausted its attempts the id is free again. That
   * de-duplication is all a queue promises (BullMQ's holds only while the old job exists:
   * docs/architecture.md §18.5), so handlers must be idempotent anyway.
   */
  jobId: string;
  /** Run no sooner than this many milliseconds from now. */
  delayMs?: number;
}

export interface JobFailure {
  id: string;
  name: string;
  data: JobData;
  /** Attempts made, all failed. */
  attempts: number;
  /** The last attempt's error, as the handler threw it. */
  error: unknown;
}

export type FailureListener = (failure: JobFailure) => void;

export interface RepeatSchedule {
  name: string;
  everyMs: number;
  data: JobData;
}

export type SchedulerState = 'created' | 'running' | 'stopping' | 'stopped';

export interface SchedulerHealth {
  /** Running and, where there is one, its backend reachable. */
  ok: boolean;
  adapter: string;
  state: SchedulerState;
  detail?: string;
}

export interface StopOptions {
  /** How long to wait for active jobs before giving up on them. Default 10 000. */
  timeoutMs?: number;
}

export interface IdleOptions {
  /** Reject with SchedulerTimeoutError after this long. Default 30 000. */
  timeoutMs?: number;
}

/**
 * Background jobs (docs/architecture.md §3, §4): in-process timers when embedded, BullMQ on Redis in
 * cluster mode. Neither is the source of truth: the retention sweep re-derives due work from the
 * event-sourced schedule each time it runs, so a job that is lost (a restart of the in-process adapter,
 * a lost Redis) or that exhausts its attempts is enqueued again by the next sweep.
 *
 * Lifecycle: register every handler, then start(). start() refuses to run when a name that was enqueued or
 * repeated has no handler, or a name was registered twice (one handler per name, checked at start-up).
 */
export interface Scheduler {
  readonly adapter: string;
  /** Exactly one handler per name; DuplicateJobHandlerError on a second. Only before start(). */
  register(name: string, handler: JobHandler, options?: RegisterOptions): void;
  /**
   * Queues one run. Before start() any name is accepted (start() checks it has a handler); after it, an
   * unregistered name is refused with UnknownJobError. InvalidJobDataError for anything but primitives.
   */
  enqueue(name: string, data: JobData, options: EnqueueOptions): Promise<void>;
  /**
   * Runs `name` at once and then every `everyMs`, one schedule per name across the cluster: calling it
   * again replaces the interval and data. An iteration is not queued while the previous one still waits.
   */
  repeat(name: string, everyMs: number, data?: JobData): Promise<void>;
  /** The repeat schedules of the names this scheduler knows. */
  schedules(): Promise<RepeatSchedule[]>;
  /** Called for every job that exhausts its attempts; returns the unsubscribe function. */
  onFailed(listener: FailureListener): () => void;
  start(): Promise<void>;
  /**
   * Stops taking jobs and waits up to timeoutMs for active ones. Final: a stopped scheduler is not
   * restarted. In-process, pending jobs are dropped (the next sweep after start-up re-derives them).
   */
  stop(options?: StopOptions): Promise<void>;
  health(): Promise<SchedulerHealth>;
  /**
   * Resolves once no one-off job is pending (waiting, delayed, retrying) or active; the next iteration a
   * repeat schedule keeps queued does not count. For tests and for draining before shutdown.
   */
  idle(options?: IdleOptions): Promise<void>;
}

export const SCHEDULER = Symbol('SCHEDULER');
