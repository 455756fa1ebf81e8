import { Inject, Injectable } from '@nestjs/common';
import { AppendResult, EVENT_STORE, EventStore } from '@accord/event-store';
import { ProjectionWaitTimeoutError } from '@accord/projections';
import { ACCORD_CONFIG, LoadedConfig } from '../config/accord-config';
import { AppLogger } from '../logging/app-logger';
import { ProjectorHost } from './projector-host';

/**
 * After an append, waits until this node's read models include it, so a client that writes and then reads
 * sees its write. On timeout the write still stands (it is in the log): the caller answers anyway, and a
 * slow projector shows on /health and in the lag metric rather than as a failed request.
 */
@Injectable()
export class ReadYourWrites {
  constructor(
    private readonly host: ProjectorHost,
    @Inject(ACCORD_CONFIG) private readonly config: LoadedConfig,
    private readonly logger: AppLogger,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  /**
   * True once the read models include everything the log holds now, written here or not (by the CLI straight
   * into the log, through another node); false if they did not within the timeout.
   */
  async catchUp(timeoutMs = this.config.readYourWritesTimeoutMs): Promise<boolean> {
    return this.settle(await this.store.headPosition(), timeoutMs);
  }

  /** True once the read models include the append; false if they did not within the configured timeout. */
  async settle(
    result: Pick<AppendResult, 'position'> | number,
    timeoutMs = this.config.readYourWritesTimeoutMs,
  ): Promise<boolean> {
    const position = typeof result === 'number' ? result : result.position;
    try {
      await this.host.waitFor(position, timeoutMs);
      return true;
    } catch (error) {
      if (!(error instanceof ProjectionWaitTimeoutError)) throw error;
      this.logger.warn('read models behind a write after the timeout', {
        position,
        reached: error.reached,
        timeoutMs,
      });
      return false;
    }
  }
}
