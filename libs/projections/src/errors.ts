/** Errors of the projector; messages carry positions, types and projection names only, never event data. */
export class ProjectionWaitTimeoutError extends Error {
  readonly code = 'projections.wait-timeout';
  constructor(
    readonly position: number,
    readonly reached: number,
    readonly timeoutMs: number,
  ) {
    super(`read models did not reach position ${position} within ${timeoutMs} ms (at ${reached})`);
    this.name = 'ProjectionWaitTimeoutError';
  }
}

/** A projection's `apply` threw: the whole batch was rolled back. */
export class ProjectionApplyError extends Error {
  readonly code = 'projections.apply-failed';
  constructor(
    readonly projection: string,
    readonly position: number,
    readonly eventType: string,
    options?: { cause?: unknown },
  ) {
    super(`projection ${projection} failed on event ${eventType} at position ${position}`, options);
    this.name = 'ProjectionApplyError';
  }
}

export class ProjectionConfigError extends Error {
  readonly code = 'projections.invalid-config';
  constructor(message: string) {
    super(message);
    this.name = 'ProjectionConfigError';
  }
}

/**
 * Another connection moved the checkpoints (a second projector or `accord admin rebuild` on the same read.db):
 * the batch was rolled back and the caller must continue from the stored checkpoints.
 */
export class CheckpointsMovedError extends Error {
  readonly code = 'projections.checkpoints-moved';
  constructor() {
    super('read-model checkpoints were changed by another connection');
    this.name = 'CheckpointsMovedError';
  }
}

/** The old read.db's WAL could not be folded into it, so the rebuilt file was not swapped in. */
export class ReadModelsSwapError extends Error {
  readonly code = 'projections.swap-refused';
  constructor(readonly file: string) {
    super(`the WAL of ${file} could not be checkpointed (is another process using it?); the old read models are kept`);
    this.name = 'ReadModelsSwapError';
  }
}
