import {
  DuplicateJobHandlerError,
  MissingJobHandlerError,
  SchedulerStateError,
  UnknownJobError,
} from './errors';
import { assertJobName, resolveJobOptions, ResolvedJobOptions } from './job-validation';
import { FailureListener, JobFailure, JobHandler, RegisterOptions } from './scheduler.port';

/** pino-shaped, so the app's logger (AppLogger.pino) plugs in as it is. */
export interface SchedulerLogger {
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

export const consoleSchedulerLogger: SchedulerLogger = {
  warn: (fields, message) => console.warn(message, JSON.stringify(fields)),
  error: (fields, message) => console.error(message, JSON.stringify(fields)),
};

export const silentSchedulerLogger: SchedulerLogger = { warn: () => undefined, error: () => undefined };

export interface RegisteredJob {
  handler: JobHandler;
  options: ResolvedJobOptions;
}

/**
 * What both adapters share: one handler per name, the start-up check (immich's convention: a job name
 * without exactly one handler stops the process from starting, not a job from running), and the
 * reporting of jobs that exhaust their attempts.
 */
export class JobRegistry {
  private readonly handlers = new Map<string, RegisteredJob>();
  private readonly duplicates = new Set<string>();
  private readonly used = new Set<string>();
  private readonly listeners = new Set<FailureListener>();
  private sealed = false;

  constructor(private readonly logger: SchedulerLogger) {}

  register(name: string, handler: JobHandler, options?: RegisterOptions): void {
    if (this.sealed) throw new SchedulerStateError('register every job handler before start()');
    assertJobName(name);
    if (typeof handler !== 'function') throw new TypeError(`handler for job ${name} is not a function`);
    const resolved = resolveJobOptions(options);
    if (this.handlers.has(name)) {
      // Remembered so start() refuses even when the caller swallowed this error.
      this.duplicates.add(name);
      throw new DuplicateJobHandlerError(name);
    }
    this.handlers.set(name, { handler, options: resolved });
  }

  /** Before start a name is noted for the start-up check; after it, a name without a handler is refused. */
  use(name: string): void {
    assertJobName(name);
    if (this.sealed && !this.handlers.has(name)) throw new UnknownJobError(name);
    this.used.add(name);
  }

  /** The handler's options, or the defaults for a name start() has yet to check. */
  optionsOf(name: string): ResolvedJobOptions {
    return this.handlers.get(name)?.options ?? resolveJobOptions();
  }

  get(name: string): RegisteredJob | undefined {
    return this.handlers.get(name);
  }

  names(): string[] {
    return [...new Set([...this.handlers.keys(), ...this.used])];
  }

  handledNames(): string[] {
    return [...this.handlers.keys()];
  }

  /** Throws unless every name has exactly one handler; then no handler may be added. */
  seal(): void {
    const [duplicate] = this.duplicates;
    if (duplicate !== undefined) throw new DuplicateJobHandlerError(duplicate);
    const missing = [...this.used].filter((n) => !this.handlers.has(n)).sort();
    if (missing.length > 0) throw new MissingJobHandlerError(missing);
    this.sealed = true;
  }

  onFailed(listener: FailureListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Reported, not dropped in silence: the next sweep re-enqueues the work, this says why it had to. */
  reportFailure(failure: JobFailure): void {
    this.logger.error(
      { job: failure.name, jobId: failure.id, attempts: failure.attempts, ...errorFields(failure.error) },
      'job failed and exhausted its attempts',
    );
    for (const listener of this.listeners) {
      try {
        listener(failure);
      } catch (e) {
        this.logger.warn(
          { job: failure.name, jobId: failure.id, ...errorFields(e) },
          'job failure listener threw',
        );
      }
    }
  }
}

/**
 * Name, code and message: errors carry no personal data by convention (docs/architecture.md §20.6), payload
 * values never.
 */
export function errorFields(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { error: typeof error };
  const code = (error as { code?: unknown }).code;
  return { error: error.name, ...(typeof code === 'string' ? { code } : {}), message: error.message };
}
