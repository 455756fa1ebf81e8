import { Injectable } from '@nestjs/common';

/**
 * The one source of "now" for handlers: the domain takes time in its commands, so tests replace this class
 * (Nest `overrideProvider(Clock)`) to move time, e.g. past a retention date.
 */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }

  /** ISO-8601 UTC with milliseconds, the envelope's `occurredAt` format. */
  nowIso(): string {
    return this.now().toISOString();
  }
}
