import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { documentStreamId } from '@accord/domain';
import { EVENT_STORE, EventStore } from '@accord/event-store';
import { SCHEDULER, type Scheduler } from '@accord/jobs';
import { AppLogger } from '@accord/platform';
import { DESTROY_JOB, destroyJobId } from '../../retention/destroy-document.job';
import { answerOf, DocumentWriter } from '../document-writer';
import type { RevocationOutcomeDto } from '../documents.dto';
import { RevokeDocumentCommand } from '../documents.commands';

/**
 * POST /documents/:id/revocation (docs/architecture.md §25). DocumentRevoked is appended first, so every later
 * open is refused (410 open.revoked); then the payload goes the way retention destroys it: the same destroy
 * job (`retention:<id>`), which finds the revocation on the stream and deletes the object, then appends
 * PayloadDestroyed. A lost job is found again by the retention sweep (a revoked document is due at once
 * unless on legal hold), so the destruction does not depend on the queue.
 */
@CommandHandler(RevokeDocumentCommand)
export class RevokeDocumentHandler implements ICommandHandler<RevokeDocumentCommand> {
  constructor(
    private readonly writer: DocumentWriter,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SCHEDULER) private readonly scheduler: Scheduler,
    private readonly logger: AppLogger,
  ) {}

  async execute({ documentId, reason, context }: RevokeDocumentCommand): Promise<RevocationOutcomeDto> {
    const { caller, meta, idempotency } = context;
    const outcome = await this.writer.run(
      documentId,
      {
        type: 'RevokeDocument',
        data: {
          reason,
          user: { userId: caller.userId, orgId: caller.orgId, role: caller.role },
          sharedBy: await this.sharedBy(documentId),
        },
        metadata: { now: new Date(meta.occurredAt) },
      },
      meta,
      { key: idempotency.key, scope: `${idempotency.scope}|revoke` },
    );
    const decision = outcome.events[0];
    if (decision?.type !== 'DocumentRevoked') throw answerOf(decision);
    await this.writer.settle(outcome.position);
    try {
      await this.scheduler.enqueue(DESTROY_JOB, { documentId }, { jobId: destroyJobId(documentId) });
    } catch (error) {
      // The revocation stands; the retention sweep queues the destruction on its next pass.
      this.logger.error('could not queue the destruction of a revoked document', {
        documentId,
        error: String(error),
      });
    }
    return {
      documentId,
      revokedAt: meta.occurredAt,
      revokedBy: decision.data.revokedBy,
      recipients: decision.data.recipients,
    };
  }

  /** The user whose request recorded the share (the envelope's actor), or null for a system share. */
  private async sharedBy(documentId: string): Promise<string | null> {
    const events = await this.store.readStream(documentStreamId(documentId));
    const shared = events.find((e) => e.type === 'DocumentShared');
    const actor = shared?.meta.actor as { userId?: unknown } | undefined;
    return typeof actor?.userId === 'string' ? actor.userId : null;
  }
}
