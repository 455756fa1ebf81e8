/** The store's own errors; adapters translate vendor errors into these. */
export class WrongExpectedRevisionError extends Error {
  readonly code = 'event-store.wrong-expected-revision';
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevisionDescription,
    readonly actual: number | 'no-stream',
  ) {
    super(`stream ${streamId}: expected revision ${String(expected)}, actual ${String(actual)}`);
    this.name = 'WrongExpectedRevisionError';
  }
}

/** An eventId was reused for a different event (a programming error, never a retry). */
export class DuplicateEventIdError extends Error {
  readonly code = 'event-store.duplicate-event-id';
  constructor(readonly eventId: string) {
    super(`event id ${eventId} already stored for a different event`);
    this.name = 'DuplicateEventIdError';
  }
}

export class EventStoreUnavailableError extends Error {
  readonly code = 'event-store.unavailable';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EventStoreUnavailableError';
  }
}

type ExpectedRevisionDescription = number | 'no-stream' | 'any' | 'stream-exists';
