import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { SubjectRequestCommand, subjectRequestFail } from '@accord/domain';
import { uuidv5 } from '@accord/event-store';
import { IdGenerator } from '@accord/platform';
import { otherOrganisation } from '../auth';
import { SubjectRefs } from '../documents/subject-refs';
import { SubmitSubjectRequestCommand } from './subject-request.commands';
import type { SubjectRequestViewDto } from './subject-request.dto';
import { viewOf } from './subject-request-view';
import { SubjectRequestProcessor } from './subject-request-processor';
import { SubjectRequestWriter } from './subject-request-writer';

/**
 * POST /subject-requests. The request is recorded first (for an erasure with the documents it will erase,
 * fixed before any payload is touched), then each document's stream is changed, then the outcome is
 * recorded. Every step answers a repeat with no event, so the client's retry with the same Idempotency-Key
 * (the same request id) finishes an interrupted request without doing anything twice; without a retry,
 * SubjectRequestResumer finishes it, and the retention sweep destroys the payload of every erased document
 * that still has one.
 */
@CommandHandler(SubmitSubjectRequestCommand)
export class SubmitSubjectRequestHandler implements ICommandHandler<SubmitSubjectRequestCommand> {
  constructor(
    private readonly writer: SubjectRequestWriter,
    private readonly subjects: SubjectRefs,
    private readonly ids: IdGenerator,
    private readonly processor: SubjectRequestProcessor,
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
    return viewOf(id, state.status === 'received' ? await this.processor.finish(id, state, meta) : state);
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
}
