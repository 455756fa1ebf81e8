import { Command, Query } from '@nestjs/cqrs';
import type { EventMetaInput } from '@accord/event-store';
import type { Idempotency } from '@accord/platform';
import type { Caller } from '../auth';
import type {
  DocumentDto,
  DocumentListDto,
  ListDocumentsQueryDto,
  RevocationOutcomeDto,
  ShareOutcomeDto,
} from './documents.dto';
import type { ShareUploadSource } from './upload/share-upload.reader';
import type { OpenedDocument } from './commands/open-document.handler';

/** What a request brings: who, the envelope metadata (time, client), and its Idempotency-Key. */
export interface DocumentRequestContext {
  caller: Caller;
  meta: EventMetaInput;
  idempotency: Idempotency;
}

export class ShareDocumentCommand extends Command<ShareOutcomeDto> {
  constructor(
    readonly source: ShareUploadSource,
    readonly context: DocumentRequestContext,
  ) {
    super();
  }
}

export class OpenDocumentCommand extends Command<OpenedDocument> {
  constructor(
    readonly documentId: string,
    readonly context: Omit<DocumentRequestContext, 'idempotency'>,
    /** `?purpose=`: the purpose the user states for this open (docs/architecture.md §26). */
    readonly purpose?: string,
  ) {
    super();
  }
}

/** POST /documents/:id/revocation (docs/architecture.md §25). */
export class RevokeDocumentCommand extends Command<RevocationOutcomeDto> {
  constructor(
    readonly documentId: string,
    readonly reason: string,
    readonly context: DocumentRequestContext,
  ) {
    super();
  }
}

export class ListDocumentsQuery extends Query<DocumentListDto> {
  constructor(
    readonly caller: Caller,
    readonly filter: ListDocumentsQueryDto,
  ) {
    super();
  }
}

export class GetDocumentQuery extends Query<DocumentDto> {
  constructor(
    readonly caller: Caller,
    readonly documentId: string,
    /** Envelope metadata for the AccessDenied a refusal records. */
    readonly meta: EventMetaInput,
  ) {
    super();
  }
}
