import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ExistingSubjectRequest, SubjectRequestCommand, subjectRequestFail } from '@accord/domain';
import { EventMetaInput, uuidv5 } from '@accord/event-store';
import { IdGenerator } from '@accord/platform';
import { otherOrganisation } from '../auth';
import { DestroyDocumentJob } from '../retention/destroy-document.job';
import { SubjectRefs } from '../documents/subject-refs';
import { SubmitSubjectRequestCommand } from './subject-request.commands';
import type { SubjectRequestViewDto } from './subject-request.dto';
import { viewOf } from './subject-request-view';
import { SubjectRequestWriter } from './subject-request-writer';

/**
 * POST /subject-requests. The request is recorded first (for an erasure with the documents it will erase,
 * fixed before any payload is touched), then each document's stream is changed, then the outcome is
 * recorded. Every step answers a repeat with no event, so the client's retry with the same Idempotency-Key
 * (the same request id) finishes an interrupted request without doing anything twice; an erasure the api
 * crashed in the middle of is also finished by the retention sweep, which destroys the payload of every
 * erased document that still has one.
 */
@CommandHandler(SubmitSubjectRequestCommand)
export class SubmitSubjectRequestHandler implements ICommandHandler<SubmitSubjectRequestCommand> {
  constructor(
    private readonly writer: SubjectRequestWriter,
    private readonly subjects: SubjectRefs,
    private readonly ids: IdGenerator,
    private readonly destroy: DestroyDocumentJob,
  ) {}

  async execute({ body, caller, context }: SubmitSubjectRequestCommand): Promise<SubjectRequestViewDto> {
    if (caller.orgId === null) throw otherOrganisation();
    const orgId = caller.orgId;
    const { meta, idempotency } = context;
    // Validates the identifier (422 subject.*) before anything is read; the raw value goes no further.
    const subjectRef = this.subjects.refOf(body.subject.scheme, body.subject.value);
    const { key, scope } = idempotency;
    const id = key === undefined ? this.ids.newId() : uuidv5(`subject-request|${scope}|${key}`);
    const now = new Date(meta.occurredAt);
    const receive: SubjectRequestCommand = {
      type: 'ReceiveSubjectRequest',
      data: {
        kind: body.kind,
        subjectRef,
        orgId,
        reason: body.reason,
        ...(body.kind === 'erasure'
          ? { candidates: await this.writer.erasureCandidates(orgId, subjectRef) }
          : {}),
        ...(body.kind === 'rectification' ? { rectify: await this.rectify(body, orgId) } : {}),
      },
      metadata: { now },
    };
    const received = await this.writer.runRequest(id, receive, meta, idempotency);
    if (received.state.status === 'none') throw subjectRequestFail('subject-request.not-found');
    const state = received.state;
    if (state.status === 'received') {
      const documentIds = await this.apply(id, state, meta);
      const done = await this.writer.runRequest(
        id,
        { type: 'CompleteSubjectRequest', data: { documentIds }, metadata: { now } },
        meta,
      );
      if (done.state.status !== 'none') return viewOf(id, done.state);
    }
    return viewOf(id, state);
  }

  private async rectify(body: SubmitSubjectRequestCommand['body'], orgId: string) {
    const documentId = body.documentId?.toLowerCase();
    const correctedDocumentId = body.correctedDocumentId?.toLowerCase();
    const document = documentId ? await this.writer.rectificationDocument(documentId, orgId) : undefined;
    const corrected = correctedDocumentId
      ? await this.writer.rectificationDocument(correctedDocumentId, orgId)
      : undefined;
    return {
      ...(documentId ? { documentId } : {}),
      ...(correctedDocumentId ? { correctedDocumentId } : {}),
      ...(document ? { document } : {}),
      ...(corrected ? { corrected } : {}),
    };
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
          if (doc.restrictedBy !== undefined && doc.restrictedBy !== s.orgId) continue;
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
