import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { AppLogger } from '../logging/app-logger';

interface Step {
  name: string;
  run: () => Promise<void> | void;
}

/**
 * Closes what the platform opened in reverse order of opening: the projector stops before the event store
 * it reads closes. Nest orders shutdown hooks by module distance, which says nothing about that dependency;
 * this list does. It runs after the HTTP server has stopped taking requests.
 */
@Injectable()
export class ShutdownSequence implements OnApplicationShutdown {
  private readonly steps: Step[] = [];

  constructor(private readonly logger: AppLogger) {}

  /** Registers a closer; call it right after opening the resource. */
  add(name: string, run: Step['run']): void {
    this.steps.push({ name, run });
  }

  async onApplicationShutdown(): Promise<void> {
    while (this.steps.length > 0) {
      const step = this.steps.pop()!;
      try {
        await step.run();
      } catch (error) {
        // Keep closing the rest: a failed projector stop must not leave the store's file handles open.
        this.logger.error(`shutdown: closing ${step.name} failed`, { err: error });
      }
    }
  }
}
