import { Inject, Injectable } from '@nestjs/common';
import { incidentDecider, incidentStreamId, SharedDocument } from '@accord/domain';
import { DuplicateEventIdError, EVENT_STORE, EventStore, uuidv5 } from '@accord/event-store';
import { AppLogger, runCommand, systemMeta } from '@accord/platform';

/**
 * A destruction the object store could not confirm (docs/architecture.md §7) is a security incident: the
 * payload may still exist past its lawful retention. Raised once per document (its id derives from the
 * document), however often the job retries; the parties' IG leads see it in GET /incidents.
 */
@Injectable()
export class DestructionIncidents {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly logger: AppLogger,
  ) {}

  async raise(documentId: string, state: SharedDocument, reason: string, now: Date): Promise<void> {
    const incidentId = uuidv5(`destruction-unconfirmed|${documentId}`);
    const doc = state.document;
    const history = await this.store.readStream(`document-${documentId}`);
    const cause = [...history]
      .reverse()
      .find((e) => e.type === 'RetentionExpired' || e.type === 'DocumentErased');
    try {
      await runCommand(
        this.store,
        incidentStreamId(incidentId),
        incidentDecider,
        {
          type: 'RecordIncident',
          data: {
            kind: 'destruction-unconfirmed',
            severity: 'high',
            // Codes only, never content: the adapter's reason names the check that failed.
            summary: `payload destruction not confirmed by the object store: ${reason.slice(0, 200)}`,
            userId: 'system:retention',
            orgId: doc.senderOrg,
            orgIds: [...new Set([doc.senderOrg, ...doc.recipients])],
            documentIds: [documentId],
            evidence: cause ? [cause.eventId] : [],
            detectedAt: now.toISOString(),
          },
          metadata: { now },
        },
        {
          meta: { ...systemMeta('retention', now), actor: { system: 'retention' } },
          idempotencyKey: incidentId,
          scope: 'destruction-unconfirmed',
        },
      );
    } catch (error) {
      if (error instanceof DuplicateEventIdError) return;
      // The destruction stays undone and due either way; the next attempt raises it again.
      this.logger.warn('destruction incident not raised yet', { documentId, err: error });
    }
  }
}
