import { Inject, Injectable } from '@nestjs/common';
import { isDocumentRefusal } from '@accord/domain';
import {
  destroyConfirmed,
  DestructionUnconfirmedError,
  OBJECT_STORE,
  ObjectStore,
} from '@accord/object-store';
import { AppLogger } from '@accord/platform';
import { FaultInjector } from '../shared/fault-injector';
import { DestructionIncidents } from './destruction-incidents';
import { RetentionWriter } from './retention-writer';

export const DESTROY_JOB = 'retention.destroy';
export const destroyJobId = (documentId: string): string => `retention:${documentId}`;

export type DestroyOutcome = 'destroyed' | 'already-destroyed' | 'not-due' | 'held' | 'not-found';

/**
 * Destroys one document's payload (UK GDPR Art 5(1)(e)): RetentionExpired, then the object's deletion,
 * then PayloadDestroyed (docs/architecture.md §20.9: the event before the side effect it announces). Every
 * step reads the stream first, so a run that crashed anywhere is finished by the next one without repeating a
 * step: RetentionExpired present means skip to the delete, which is idempotent, and PayloadDestroyed is
 * appended only once (the decider answers a repeat with no event, the expected revision stops a race).
 *
 * The deletion is confirmed before PayloadDestroyed is recorded (docs/architecture.md §7): every version
 * gone, and the store says nothing of the key is left. Where it cannot say so, the job fails closed: no
 * PayloadDestroyed (the document stays due, so the sweep queues it again), a `destruction-unconfirmed`
 * security incident, and the error thrown so the scheduler retries.
 */
@Injectable()
export class DestroyDocumentJob {
  constructor(
    private readonly writer: RetentionWriter,
    @Inject(OBJECT_STORE) private readonly objects: ObjectStore,
    private readonly logger: AppLogger,
    private readonly fault: FaultInjector,
    private readonly incidents: DestructionIncidents,
  ) {}

  async run(documentId: string): Promise<DestroyOutcome> {
    const state = await this.writer.document(documentId);
    if (state.status !== 'shared') return 'not-found';
    if (state.payloadDestroyed) return 'already-destroyed';
    // A revocation destroys the payload as retention does, but a legal hold keeps it until released
    // (docs/architecture.md §25).
    if (state.revoked && !state.erased && !state.retentionExpired && state.legalHold) return 'held';
    // An erasure (DocumentErased) or a revocation (DocumentRevoked) already committed to the destruction: an
    // interrupted one is finished here.
    if (!state.retentionExpired && !state.erased && !state.revoked) {
      const meta = this.writer.systemMeta();
      try {
        await this.writer.run(
          documentId,
          { type: 'ExpireRetention', data: {}, metadata: { now: new Date(meta.occurredAt) } },
          meta,
        );
      } catch (error) {
        // A hold placed since the sweep looked, or a read model ahead of this node's clock: not now.
        if (isDocumentRefusal(error) && error.reason === 'retention.on-legal-hold') return 'held';
        if (isDocumentRefusal(error) && error.reason === 'retention.not-due') return 'not-due';
        throw error;
      }
      this.fault.reached('destroy-after-expired');
    }
    try {
      await destroyConfirmed(this.objects, state.document.objectKey);
    } catch (error) {
      const reason =
        error instanceof DestructionUnconfirmedError
          ? error.reason
          : `delete failed (${(error as { code?: unknown } | null)?.code ?? (error as Error)?.name ?? 'error'})`;
      this.logger.warn('document payload destruction not confirmed; will retry', { documentId, reason });
      await this.incidents.raise(documentId, state, reason, new Date(this.writer.systemMeta().occurredAt));
      throw error;
    }
    this.fault.reached('destroy-after-delete');
    const meta = this.writer.systemMeta();
    await this.writer.run(
      documentId,
      { type: 'RecordPayloadDestroyed', data: {}, metadata: { now: new Date(meta.occurredAt) } },
      meta,
    );
    this.logger.info('document payload destroyed', {
      documentId,
      cause: state.erased
        ? 'erasure'
        : state.revoked && !state.retentionExpired
          ? 'revocation'
          : 'end of retention',
    });
    return 'destroyed';
  }
}
