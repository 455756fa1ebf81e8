import { Module } from '@nestjs/common';
import { DocumentsModule } from '../documents/documents.module';
import { AuditCuts } from './audit-cut';
import { AuditHistoryController } from './audit-history.controller';
import { AuditIntegrity } from './audit-integrity.service';
import { AuditLogController } from './audit-log.controller';
import { AuditLogExporter } from './audit-log.exporter';
import { DocumentAccessReader } from './document-access.reader';

/** The audit trail (issue 5): histories as of any moment, the raw log, and its integrity. */
@Module({
  imports: [DocumentsModule],
  controllers: [AuditHistoryController, AuditLogController],
  providers: [AuditCuts, AuditIntegrity, AuditLogExporter, DocumentAccessReader],
  exports: [AuditCuts],
})
export class AuditModule {}
