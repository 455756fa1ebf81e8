/** The store's own errors; adapters translate vendor errors into these. Messages carry keys, never content. */
export class InvalidObjectKeyError extends Error {
  readonly code = 'object-store.invalid-key';
  constructor(reason: string) {
    super(`invalid object key: ${reason}`);
    this.name = 'InvalidObjectKeyError';
  }
}

export class ObjectNotFoundError extends Error {
  readonly code = 'object-store.not-found';
  constructor(readonly key: string) {
    super(`no object under key ${key}`);
    this.name = 'ObjectNotFoundError';
  }
}

/** The body's SHA-256 was not the one the caller stated: nothing was stored. */
export class ChecksumMismatchError extends Error {
  readonly code = 'object-store.checksum-mismatch';
  constructor(
    readonly key: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`object ${key}: expected sha256 ${expected}, body has ${actual}; nothing stored`);
    this.name = 'ChecksumMismatchError';
  }
}

/** A stored object the store cannot read back as it wrote it (a damaged or foreign file). */
export class CorruptObjectError extends Error {
  readonly code = 'object-store.corrupt';
  constructor(
    readonly key: string,
    reason: string,
  ) {
    super(`object ${key} is damaged: ${reason}`);
    this.name = 'CorruptObjectError';
  }
}

export class ObjectStoreUnavailableError extends Error {
  readonly code = 'object-store.unavailable';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ObjectStoreUnavailableError';
  }
}

/**
 * The store is reachable but not usable as configured (a bucket outside the UK, Object Lock with a default
 * retention, a versioning state it will not tell): a 503 on use, and the process refuses to start on it.
 */
export class ObjectStoreMisconfiguredError extends ObjectStoreUnavailableError {
  readonly reason = 'misconfigured';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ObjectStoreMisconfiguredError';
  }
}

/**
 * The store could not confirm that nothing of a key is left (no object, no version, no delete marker):
 * a destruction that must not be recorded as done (docs/architecture.md §7, destruction that is checked).
 */
export class DestructionUnconfirmedError extends Error {
  readonly code = 'object-store.destruction-unconfirmed';
  constructor(
    readonly key: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`cannot confirm that ${key} is destroyed: ${reason}`, options);
    this.name = 'DestructionUnconfirmedError';
  }
}
