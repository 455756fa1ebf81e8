import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { refuse } from '@accord/domain';
import { READ_DB } from '@accord/platform';
import {
  DocumentRecord,
  findDocument,
  isDocumentParty,
  listDocumentRecords,
  ReadDb,
} from '@accord/projections';
import type { DocumentDto, DocumentListDto } from '../documents.dto';
import { GetDocumentQuery, ListDocumentsQuery } from '../documents.commands';
import { DocumentWriter } from '../document-writer';
import { SubjectRefs } from '../subject-refs';

/**
 * Metadata only, and only of documents the caller's organisation sent or received (titles are visible to
 * parties only, docs/architecture.md §19.3). Anyone else's document reads as not found, never as forbidden,
 * so the answer does not confirm it exists. Subject references are not shown: they would let a reader link
 * documents about one person across partnerships they are not part of.
 */
@QueryHandler(ListDocumentsQuery)
export class ListDocumentsHandler implements IQueryHandler<ListDocumentsQuery> {
  constructor(
    @Inject(READ_DB) private readonly db: ReadDb,
    private readonly subjects: SubjectRefs,
  ) {}

  async execute({ caller, filter }: ListDocumentsQuery): Promise<DocumentListDto> {
    if (caller.orgId === null) return { items: [] };
    const records = listDocumentRecords(this.db, {
      orgId: caller.orgId,
      ...(filter.agreement !== undefined ? { agreementId: filter.agreement } : {}),
      ...(filter.subject !== undefined ? { subjectRef: this.subjects.refOfFilter(filter.subject) } : {}),
    });
    return { items: records.map(documentDtoOf) };
  }
}

/** Roles that read a document's metadata: its parties' users; an admin operates the platform and never does. */
const METADATA_ROLES = ['ig-lead', 'practitioner', 'auditor'];

/**
 * GET /documents/:id. Every refusal on a document that exists is recorded as AccessDenied on its stream
 * (issue 12 §2: `accord fetch` reads the metadata first, so this is where an outsider's attempt shows): a
 * role that never reads metadata (`metadata.role-not-permitted`, 403) or a caller whose organisation is not
 * a party (`metadata.not-a-party`, answered as `document.not-found`). Party membership is decided on the
 * event store, not a read model that may lag; an id never shared is a plain 404 with nothing to record on.
 */
@QueryHandler(GetDocumentQuery)
export class GetDocumentHandler implements IQueryHandler<GetDocumentQuery> {
  constructor(
    @Inject(READ_DB) private readonly db: ReadDb,
    private readonly writer: DocumentWriter,
  ) {}

  async execute({ caller, documentId, meta }: GetDocumentQuery): Promise<DocumentDto> {
    const state = await this.writer.document(documentId);
    const refusal = !METADATA_ROLES.includes(caller.role)
      ? refuse('metadata.role-not-permitted')
      : state.status !== 'shared'
        ? refuse('document.not-found')
        : caller.orgId === null ||
            (caller.orgId !== state.document.senderOrg && !state.document.recipients.includes(caller.orgId))
          ? refuse('metadata.not-a-party')
          : undefined;
    if (refusal) {
      if (state.status === 'shared') await this.writer.recordRefusal(documentId, refusal, caller.orgId, meta);
      throw refusal;
    }
    const record = findDocument(this.db, documentId);
    if (!record || caller.orgId === null || !isDocumentParty(record, caller.orgId))
      throw refuse('document.not-found');
    return documentDtoOf(record);
  }
}

export function documentDtoOf(r: DocumentRecord): DocumentDto {
  return {
    id: r.id,
    agreementId: r.agreementId,
    agreementVersion: r.agreementVersion,
    senderOrg: r.senderOrg,
    sharedBy: r.sharedBy,
    recipients: r.recipients,
    purpose: r.purpose,
    dataCategories: r.dataCategories,
    nature: r.nature,
    title: r.title,
    subjectCount: r.subjectRefs.length,
    size: r.size,
    sha256: r.sha256,
    recipientFingerprints: r.recipientFingerprints,
    storageRegion: r.storageRegion,
    mode: r.mode,
    sharedAt: r.sharedAt,
    retainUntil: r.retainUntil,
    state: r.state,
    legalHold: r.legalHold,
    restricted: r.restricted,
    payloadDestroyed: r.payloadDestroyed,
    supersededBy: r.supersededBy,
    supersedes: r.supersedes,
  };
}
