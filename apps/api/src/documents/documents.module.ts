import { Module } from '@nestjs/common';
import { OpenDocumentHandler } from './commands/open-document.handler';
import { RevokeDocumentHandler } from './commands/revoke-document.handler';
import { ShareDocumentHandler } from './commands/share-document.handler';
import { TeamDirectory } from '../organisations/team-directory';
import { DocumentWriter } from './document-writer';
import { DocumentsController } from './documents.controller';
import { FaultInjector } from '../shared/fault-injector';
import { OrphanReconciler } from './orphan-reconciler';
import { OrganisationKeyring } from './organisation-keyring';
import { PayloadSealer } from './payload-sealer';
import { GetDocumentHandler, ListDocumentsHandler } from './queries/document.queries';
import { SubjectRefs } from './subject-refs';
import { UploadLimits } from './upload/upload-limits';

/** Sharing, listing and opening documents, and the reconciler that removes failed uploads' objects. */
@Module({
  controllers: [DocumentsController],
  providers: [
    DocumentWriter,
    OrganisationKeyring,
    PayloadSealer,
    SubjectRefs,
    UploadLimits,
    FaultInjector,
    OrphanReconciler,
    ShareDocumentHandler,
    OpenDocumentHandler,
    RevokeDocumentHandler,
    TeamDirectory,
    ListDocumentsHandler,
    GetDocumentHandler,
  ],
  exports: [SubjectRefs, OrphanReconciler],
})
export class DocumentsModule {}
