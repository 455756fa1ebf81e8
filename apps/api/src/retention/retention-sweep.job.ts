import { Inject, Injectable } from '@nestjs/common';
import { SCHEDULER, type Scheduler } from '@accord/jobs';
import { AppLogger, Clock, READ_DB } from '@accord/platform';
import type { ReadDb } from '@accord/projections';
import { DESTROY_JOB, destroyJobId } from './destroy-document.job';
import { dueDocumentIds } from './retention.queries';

export const SWEEP_JOB = 'retention.sweep';

/**
 * Finds documents past retainUntil, not destroyed and not held, and queues one destroy job for each. The
 * job id is the document's (`retention:<documentId>`), so a document already queued is not queued twice;
 * once a job is gone the next sweep queues it again if the work is still undone. The schedule lives in the
 * events, not in the queue: a lost queue (a restart, a lost Redis) only delays destruction
 * (docs/architecture.md §18.5).
 */
@Injectable()
export class RetentionSweep {
  constructor(
    @Inject(SCHEDULER) private readonly scheduler: Scheduler,
    @Inject(READ_DB) private readonly db: ReadDb,
    private readonly clock: Clock,
    private readonly logger: AppLogger,
  ) {}

  /** One pass; returns the ids queued. Tests call it to sweep now rather than wait for the interval. */
  async sweep(): Promise<string[]> {
    const due = dueDocumentIds(this.db, this.clock.nowIso());
    // All at once: on BullMQ the adds share one connection's pipeline instead of a round trip each.
    await Promise.all(due.map((documentId) => this.enqueueDestroy(documentId)));
    if (due.length > 0) this.logger.info('retention sweep queued destructions', { count: due.length });
    return due;
  }

  enqueueDestroy(documentId: string): Promise<void> {
    return this.scheduler.enqueue(DESTROY_JOB, { documentId }, { jobId: destroyJobId(documentId) });
  }
}
