import { Module } from '@nestjs/common';
import { FaultInjector } from '../shared/fault-injector';
import { DestroyDocumentJob } from './destroy-document.job';
import { DestructionIncidents } from './destruction-incidents';
import { LegalHolds } from './legal-hold.service';
import { RetentionJobs } from './retention-jobs';
import { RetentionSweep } from './retention-sweep.job';
import { RetentionWriter } from './retention-writer';
import { LegalHoldController, RetentionController } from './retention.controller';

/**
 * The sweep and destroy jobs alone, with no HTTP: the worker (apps/worker) hosts them as well as the api,
 * so in cluster mode destruction goes on while every api is down. Two hosts are safe: BullMQ runs each job
 * once, and the destroy job re-reads its stream before each step.
 */
@Module({
  providers: [
    RetentionWriter,
    DestroyDocumentJob,
    DestructionIncidents,
    RetentionSweep,
    RetentionJobs,
    FaultInjector,
  ],
  exports: [RetentionWriter, RetentionSweep, DestroyDocumentJob],
})
export class RetentionJobsModule {}

/** Retention (UK GDPR Art 5(1)(e)): the jobs, legal holds, and the schedule IG leads see. */
@Module({
  imports: [RetentionJobsModule],
  controllers: [LegalHoldController, RetentionController],
  providers: [LegalHolds],
  exports: [RetentionJobsModule],
})
export class RetentionModule {}
