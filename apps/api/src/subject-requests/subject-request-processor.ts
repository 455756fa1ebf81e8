import { Injectable } from '@nestjs/common';
import { type ExistingSubjectRequest, liftsOwn } from '@accord/domain';
import type { EventMetaInput } from '@accord/event-store';
import { DestroyDocumentJob } from '../retention/destroy-document.job';
import { SubjectRequestWriter } from './subject-request-writer';

/**
 * The second half of a subject request, once it is recorded as received: each document's stream is
 * changed, then the outcome is recorded. Every step answers a repeat with no event, so running it again
 * on a request a crash interrupted (the client's retry, or SubjectRequestResumer) finishes it without
 * doing anything twice.
 */
@Injectable()
export class SubjectRequestProcessor {
  constructor(
    private readonly writer: SubjectRequestWriter,
    private readonly destroy: DestroyDocumentJob,
  ) {}

  async finish(
    id: string,
    state: ExistingSubjectRequest,
    meta: EventMetaInput,
  ): Promise<ExistingSubjectRequest> {
    const documentIds = await this.apply(id, state, meta);
    const done = await this.writer.runRequest(
      id,
      { type: 'CompleteSubjectRequest', data: { documentIds }, metadata: { now: new Date(meta.occurredAt) } },
      meta,
    );
    return done.state.status === 'none' ? state : done.state;
  }

  /** Changes the documents' streams for the request; returns the documents the outcome names. */
  private async apply(id: string, s: ExistingSubjectRequest, meta: EventMetaInput): Promise<string[]> {
    const now = { now: new Date(meta.occurredAt) };
    const about = { reason: s.reason, requestId: id, orgId: s.orgId };
    switch (s.kind) {
      case 'access':
        return this.writer.subjectDocumentIds(s.orgId, s.subjectRef);
      case 'restriction': {
        const ids = this.writer.subjectDocumentIds(s.orgId, s.subjectRef);
        for (const documentId of ids)
          await this.writer.runDocument(
            documentId,
            { type: 'RestrictProcessing', data: about, metadata: now },
            meta,
          );
        return ids;
      }
      case 'lift-restriction': {
        const lifted: string[] = [];
        for (const documentId of this.writer.subjectDocumentIds(s.orgId, s.subjectRef)) {
          const doc = await this.writer.document(documentId);
          // Another organisation's restriction is its own dispute to end.
          if (doc.status !== 'shared' || !doc.restricted) continue;
          if (!liftsOwn(doc, s.orgId)) continue;
          await this.writer.runDocument(
            documentId,
            { type: 'LiftRestriction', data: about, metadata: now },
            meta,
          );
          lifted.push(documentId);
        }
        return lifted;
      }
      case 'erasure':
        for (const documentId of s.erasure?.approved ?? []) {
          // DocumentErased first (the commitment), then the object's deletion and PayloadDestroyed.
          await this.writer.runDocument(
            documentId,
            { type: 'EraseDocument', data: { requestId: id }, metadata: now },
            meta,
          );
          await this.destroy.run(documentId);
        }
        return s.erasure?.approved ?? [];
      case 'rectification':
        await this.writer.runDocument(
          s.documentId!,
          {
            type: 'SupersedeDocument',
            data: { supersededBy: s.correctedDocumentId!, requestId: id },
            metadata: now,
          },
          meta,
        );
        return [s.documentId!, s.correctedDocumentId!];
    }
  }
}
