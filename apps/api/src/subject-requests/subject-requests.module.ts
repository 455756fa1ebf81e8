import { Module } from '@nestjs/common';
import { DocumentsModule } from '../documents/documents.module';
import { RetentionJobsModule } from '../retention/retention.module';
import { SettledCommandRunner } from '../shared/settled-command.runner';
import { SubjectAccessReports } from './subject-access-report';
import { GetSubjectAccessReportHandler, GetSubjectRequestHandler } from './subject-request.queries';
import { SubjectRequestProcessor } from './subject-request-processor';
import { SubjectRequestResumer } from './subject-request-resumer';
import { SubjectRequestWriter } from './subject-request-writer';
import { SubjectRequestsController } from './subject-requests.controller';
import { SubmitSubjectRequestHandler } from './submit-subject-request.handler';

/**
 * Data-subject rights: access (with a printable report), restriction and its lifting, erasure (reusing
 * the retention destroy job for the payload) and rectification (a corrected document supersedes the old).
 */
@Module({
  imports: [DocumentsModule, RetentionJobsModule],
  exports: [SubjectRequestResumer],
  controllers: [SubjectRequestsController],
  providers: [
    SettledCommandRunner,
    SubjectRequestWriter,
    SubjectAccessReports,
    SubmitSubjectRequestHandler,
    SubjectRequestProcessor,
    SubjectRequestResumer,
    GetSubjectRequestHandler,
    GetSubjectAccessReportHandler,
  ],
})
export class SubjectRequestsModule {}
