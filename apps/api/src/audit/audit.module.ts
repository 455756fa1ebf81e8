import { Module } from '@nestjs/common';
import { verifiableLogProvider } from '@accord/platform';
import { DocumentsModule } from '../documents/documents.module';
import { AuditCuts } from './audit-cut';
import { AuditHistoryController } from './audit-history.controller';
import { AuditIntegrity } from './audit-integrity.service';
import { AuditLogController } from './audit-log.controller';
import { AuditLogExporter } from './audit-log.exporter';
import { DocumentAccessReader } from './document-access.reader';
import { AuditProofsController } from './log/audit-proofs.controller';
import { Checkpoints } from './log/checkpoints.service';
import { signerLeaseProvider } from './log/signer-lease';
import { AuditUiLoginController } from './ui/audit-ui-login.controller';
import { AuditUiController } from './ui/audit-ui.controller';
import { AuditUiQueries } from './ui/audit-ui.queries';

/** The audit trail (issue 5): histories as of any moment, the raw log, its integrity, and the web view. */
@Module({
  imports: [DocumentsModule],
  controllers: [
    AuditHistoryController,
    AuditLogController,
    AuditProofsController,
    AuditUiLoginController,
    AuditUiController,
  ],
  providers: [
    AuditCuts,
    AuditIntegrity,
    Checkpoints,
    signerLeaseProvider,
    verifiableLogProvider,
    AuditLogExporter,
    DocumentAccessReader,
    AuditUiQueries,
  ],
  exports: [AuditCuts],
})
export class AuditModule {}
