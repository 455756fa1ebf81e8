import { Inject, Injectable, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { SCHEDULER, type Scheduler } from '@accord/jobs';
import { ACCORD_CONFIG, type LoadedConfig } from '@accord/platform';
import { DESTROY_JOB, DestroyDocumentJob } from './destroy-document.job';
import { RetentionSweep, SWEEP_JOB } from './retention-sweep.job';

const DOCUMENT_ID = /^[0-9a-f-]{36}$/;

/**
 * Registers the retention jobs and starts this process's scheduler: in-process timers when embedded, a
 * BullMQ worker when REDIS_URL is set (the api hosts the jobs in both modes; BullMQ keeps one sweep
 * schedule and runs each job on one node however many apis run). Handlers are registered at module init
 * and the scheduler started at bootstrap, after every module has had its init to register its own.
 */
@Injectable()
export class RetentionJobs implements OnModuleInit, OnApplicationBootstrap {
  constructor(
    @Inject(SCHEDULER) private readonly scheduler: Scheduler,
    @Inject(ACCORD_CONFIG) private readonly config: LoadedConfig,
    private readonly sweep: RetentionSweep,
    private readonly destroy: DestroyDocumentJob,
  ) {}

  async onModuleInit(): Promise<void> {
    this.scheduler.register(SWEEP_JOB, async () => void (await this.sweep.sweep()));
    this.scheduler.register(
      DESTROY_JOB,
      async (job) => {
        const documentId = job.data['documentId'];
        if (typeof documentId !== 'string' || !DOCUMENT_ID.test(documentId))
          throw new Error('retention.destroy job without a document id');
        await this.destroy.run(documentId);
      },
      // Concurrent destructions share the event store's group commits: 2 -> 16 tripled a 5,000-document
      // sweep on 2 cores (bench (j)); more gained little on BullMQ, whose round trips then dominate.
      { concurrency: 16 },
    );
    await this.scheduler.repeat(SWEEP_JOB, this.config.retention.sweepIntervalMs);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.scheduler.start();
  }
}
