import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { SCHEDULER, type Scheduler } from '@accord/jobs';
import { ACCORD_CONFIG, AppLogger, Clock, type LoadedConfig, READ_DB, systemMeta } from '@accord/platform';
import { ReadDb, unfinishedSubjectRequestIds } from '@accord/projections';
import { SubjectRequestProcessor } from './subject-request-processor';
import { SubjectRequestWriter } from './subject-request-writer';

export const RESUME_JOB = 'subject-requests.resume';

/**
 * A request younger than this may still be in the hands of the api that received it; only an older one is
 * taken to be abandoned by a crash. Finishing one twice would be harmless (every step is idempotent), but
 * the outcome would then be attributed to the platform rather than to the IG lead who asked.
 */
export const RESUME_AFTER_MS = 60_000;

/**
 * Finishes the data-subject requests a crash left half done: received (an erasure's documents fixed, some
 * restricted or erased already) but with no outcome. It runs on the retention sweep's interval, on the
 * scheduler, so in cluster mode one node does it; the client's retry with the same Idempotency-Key does
 * the same sooner.
 */
@Injectable()
export class SubjectRequestResumer implements OnModuleInit {
  constructor(
    @Inject(SCHEDULER) private readonly scheduler: Scheduler,
    @Inject(ACCORD_CONFIG) private readonly config: LoadedConfig,
    @Inject(READ_DB) private readonly db: ReadDb,
    private readonly writer: SubjectRequestWriter,
    private readonly processor: SubjectRequestProcessor,
    private readonly clock: Clock,
    private readonly logger: AppLogger,
  ) {}

  async onModuleInit(): Promise<void> {
    this.scheduler.register(RESUME_JOB, async () => void (await this.resume()));
    await this.scheduler.repeat(RESUME_JOB, this.config.retention.sweepIntervalMs);
  }

  /** One pass; returns the ids of the requests it finished. Tests call it rather than wait. */
  async resume(): Promise<string[]> {
    const cutoff = new Date(this.clock.now().getTime() - RESUME_AFTER_MS).toISOString();
    const finished: string[] = [];
    for (const id of unfinishedSubjectRequestIds(this.db, cutoff)) {
      const state = await this.writer.request(id);
      if (state.status !== 'received') continue;
      await this.processor.finish(id, state, systemMeta('subject-requests', this.clock.now()));
      finished.push(id);
    }
    if (finished.length > 0)
      this.logger.warn('finished subject requests a crash had interrupted', { count: finished.length });
    return finished;
  }
}
