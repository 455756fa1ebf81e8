import { Module } from '@nestjs/common';
import { DestroyDocumentJob } from './destroy-document.job';
import { LegalHolds } from './legal-hold.service';
import { RetentionJobs } from './retention-jobs';
import { RetentionSweep } from './retention-sweep.job';
import { RetentionWriter } from './retention-writer';
import { LegalHoldController, RetentionController } from './retention.controller';

/** Retention (UK GDPR Art 5(1)(e)): the sweep and destroy jobs, legal holds, and the schedule IG leads see. */
@Module({
  controllers: [LegalHoldController, RetentionController],
  providers: [RetentionWriter, DestroyDocumentJob, RetentionSweep, LegalHolds, RetentionJobs],
  exports: [RetentionSweep, DestroyDocumentJob],
})
export class RetentionModule {}
