import { Injectable } from '@nestjs/common';
import { refuse } from '@accord/domain';
import type { EventMetaInput } from '@accord/event-store';
import { Idempotency, ReadYourWrites } from '@accord/platform';
import type { Caller } from '../auth';
import { RetentionSweep } from './retention-sweep.job';
import { RetentionWriter } from './retention-writer';
import type { LegalHoldOutcomeDto } from './retention.dto';

/**
 * Legal hold on a document, by an IG lead of its sender or of a recipient. Who is a party is read from
 * the stream, not the read model; a non-party reads the same 404 as for an id never shared.
 */
@Injectable()
export class LegalHolds {
  constructor(
    private readonly writer: RetentionWriter,
    private readonly sweep: RetentionSweep,
    private readonly readYourWrites: ReadYourWrites,
  ) {}

  async change(
    action: 'place' | 'release',
    documentId: string,
    reason: string,
    caller: Caller,
    meta: EventMetaInput,
    idempotency: Idempotency,
  ): Promise<LegalHoldOutcomeDto> {
    const state = await this.writer.document(documentId);
    const orgId = caller.orgId;
    const now = new Date(meta.occurredAt);
    if (state.status !== 'shared') throw refuse('document.not-found');
    if (
      orgId === null ||
      (state.document.senderOrg !== orgId && !state.document.recipients.includes(orgId))
    ) {
      // A refused attempt on a document that exists is recorded for its parties (issue 12 §2).
      const refusal = refuse('hold.not-a-party');
      await this.writer.run(
        documentId,
        { type: 'RecordShareRefusal', data: { refusal, orgId }, metadata: { now } },
        meta,
      );
      throw refusal;
    }
    const outcome = await this.writer.run(
      documentId,
      {
        type: action === 'place' ? 'PlaceLegalHold' : 'ReleaseLegalHold',
        data: { reason, orgId },
        metadata: { now },
      },
      meta,
      idempotency,
    );
    if (outcome.state.status !== 'shared') throw new Error('a hold was recorded for no document');
    const { legalHold, document } = outcome.state;
    const due = Date.parse(document.retainUntil) <= now.getTime();
    // Released past retainUntil: queue the destruction now rather than at the next sweep.
    if (!legalHold && due && !outcome.state.payloadDestroyed) await this.sweep.enqueueDestroy(documentId);
    if (outcome.position > 0) await this.readYourWrites.settle(outcome.position);
    return { documentId, legalHold, retainUntil: document.retainUntil, due };
  }
}
