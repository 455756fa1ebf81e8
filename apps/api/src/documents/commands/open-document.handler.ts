import type { Readable } from 'node:stream';
import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { evaluateOpen, initialAgreementState, refuse } from '@accord/domain';
import { OBJECT_STORE, ObjectNotFoundError, ObjectStore } from '@accord/object-store';
import { AppLogger } from '@accord/platform';
import { answerOf, DocumentWriter } from '../document-writer';
import { OpenDocumentCommand } from '../documents.commands';
import { TeamDirectory } from '../../organisations/team-directory';

export interface OpenedDocument {
  stream: Readable;
  size: number;
  sha256: string;
}

/**
 * GET /documents/:id/content. The decision is appended before a byte is sent: DocumentAccessed, or the
 * refusal (AccessDenied, TransferBlocked), which is then answered. An allowed open's object is opened
 * first, so a recorded access is one the platform could serve. Read from the event store, never a read model: a
 * restriction or destruction that a lagging read model has not seen yet must still stop the open.
 */
@CommandHandler(OpenDocumentCommand)
export class OpenDocumentHandler implements ICommandHandler<OpenDocumentCommand> {
  constructor(
    private readonly writer: DocumentWriter,
    @Inject(OBJECT_STORE) private readonly objects: ObjectStore,
    private readonly logger: AppLogger,
    private readonly teams: TeamDirectory,
  ) {}

  async execute({ documentId, context, purpose }: OpenDocumentCommand): Promise<OpenedDocument> {
    const { caller, meta } = context;
    const now = new Date(meta.occurredAt);
    const state = await this.writer.document(documentId);
    const agreement =
      state.status === 'shared'
        ? await this.writer.agreement(state.document.agreementId)
        : initialAgreementState();
    const trainedOn = await this.writer.trainedOn(caller.userId);
    const data = {
      user: {
        userId: caller.userId,
        orgId: caller.orgId,
        role: caller.role,
        ...(caller.suspended ? { suspended: true } : {}),
        ...(caller.tokenId ? { tokenId: caller.tokenId } : {}),
        // Need-to-know (docs/architecture.md §24): membership read now, from the organisation's stream.
        teams: await this.teams.teamsOfUser(caller.orgId, caller.userId),
        ...(trainedOn ? { trainedOn } : {}),
      },
      agreement,
      client: meta.client ?? { ip: 'unknown', country: 'unknown' },
      ...(purpose !== undefined ? { purpose } : {}),
    };
    // Only an open that will be allowed touches storage; the decider decides again on the stream as it is then.
    const likely = evaluateOpen(state, { ...data, now }).allowed && state.status === 'shared';
    const stream = likely ? await this.openObject(documentId, state.document.objectKey) : undefined;
    try {
      const outcome = await this.writer.recordOpen(
        documentId,
        { type: 'OpenDocument', data, metadata: { now } },
        meta,
      );
      const decision = outcome.events[0];
      if (decision?.type !== 'DocumentAccessed') throw answerOf(decision);
      if (outcome.state.status !== 'shared') throw new Error('an access was recorded for no document');
      const { objectKey, size, sha256 } = outcome.state.document;
      return { stream: stream ?? (await this.openObject(documentId, objectKey)), size, sha256 };
    } catch (error) {
      stream?.destroy();
      throw error;
    }
  }

  /** The document's object; one missing under a live document is damage to report, not a client error. */
  private async openObject(documentId: string, objectKey: string): Promise<Readable> {
    try {
      return await this.objects.get(objectKey);
    } catch (error) {
      if (!(error instanceof ObjectNotFoundError)) throw error;
      this.logger.error('a shared document has no object', { documentId });
      throw refuse('open.payload-destroyed', 'the payload is missing from storage; report it to the IG lead');
    }
  }
}
