/**
 * The scheduler's own errors; adapters translate vendor errors into these. Messages name jobs, keys and
 * ids, never a payload value (docs/architecture.md §19.3: no personal data in errors or logs).
 */
export class DuplicateJobHandlerError extends Error {
  readonly code = 'jobs.duplicate-handler';
  constructor(readonly jobName: string) {
    super(`job ${jobName} already has a handler: exactly one per name`);
    this.name = 'DuplicateJobHandlerError';
  }
}

/** start() found names that were enqueued or repeated but have no handler: their jobs would never run. */
export class MissingJobHandlerError extends Error {
  readonly code = 'jobs.missing-handler';
  constructor(readonly jobNames: readonly string[]) {
    super(`no handler registered for job ${jobNames.join(', ')}`);
    this.name = 'MissingJobHandlerError';
  }
}

/** After start(), a name with no handler is refused at once rather than queued for no one. */
export class UnknownJobError extends Error {
  readonly code = 'jobs.unknown';
  constructor(readonly jobName: string) {
    super(`no handler registered for job ${jobName}`);
    this.name = 'UnknownJobError';
  }
}

export class InvalidJobDataError extends Error {
  readonly code = 'jobs.invalid-data';
  constructor(reason: string) {
    super(`invalid job data: ${reason}`);
    this.name = 'InvalidJobDataError';
  }
}

/** A malformed job name, job id or option (concurrency, attempts, intervals). */
export class InvalidJobError extends Error {
  readonly code = 'jobs.invalid';
  constructor(reason: string) {
    super(`invalid job: ${reason}`);
    this.name = 'InvalidJobError';
  }
}

/** A call the scheduler's lifecycle does not allow (register after start, start after stop, ...). */
export class SchedulerStateError extends Error {
  readonly code = 'jobs.bad-state';
  constructor(message: string) {
    super(message);
    this.name = 'SchedulerStateError';
  }
}

export class SchedulerTimeoutError extends Error {
  readonly code = 'jobs.timeout';
  constructor(message: string) {
    super(message);
    this.name = 'SchedulerTimeoutError';
  }
}
