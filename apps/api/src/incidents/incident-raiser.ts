import { Inject, Injectable } from '@nestjs/common';
import { incidentDecider, incidentStreamId } from '@accord/domain';
import { DuplicateEventIdError, EVENT_STORE, EventStore } from '@accord/event-store';
import { AppLogger, READ_DB, runCommand } from '@accord/platform';
import { clearPendingIncident, PendingIncident, pendingIncidents, ReadDb } from '@accord/projections';

/**
 * Appends the incidents the detector found (its outbox) as SecurityIncidentDetected on `incident-{id}`.
 * Everything appended derives from the evidence (id, event id, metadata), and the stream must not exist
 * yet, so raising again after a crash, a replay or on a second node appends nothing twice.
 */
@Injectable()
export class IncidentRaiser {
  private running: Promise<number> | undefined;
  private again = false;
  private readonly log: AppLogger;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_DB) private readonly db: ReadDb,
    logger: AppLogger,
  ) {
    this.log = logger.child({ context: 'IncidentRaiser' });
  }

  /** Raises every pending incident; concurrent calls share one pass (and ask for one more after it). */
  drain(): Promise<number> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.pass().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        this.drainInBackground();
      }
    });
    return this.running;
  }

  /**
   * drain() for callers that cannot wait (the retry timer, the detector's callback, start-up). A pass
   * that fails outside a single raise (the read models unreadable) is logged, not left to reject: an
   * unhandled rejection would end the api process. The outbox rows stay, so the next pass retries them.
   */
  drainInBackground(): void {
    this.drain().catch((error: unknown) =>
      this.log.error('security incidents not raised: pass failed', { err: error }),
    );
  }

  /** Resolves when no pass is running (shutdown waits for it before the store closes). */
  async whenIdle(): Promise<void> {
    while (this.running) await this.running.catch(() => undefined);
  }

  private async pass(): Promise<number> {
    let raised = 0;
    for (;;) {
      const batch = pendingIncidents(this.db);
      if (batch.length === 0) return raised;
      for (const pending of batch) {
        try {
          raised += await this.raise(pending);
        } catch (error) {
          // The store is down or refusing: the row stays and the next pass (timer or new detection) retries.
          this.log.warn('security incident not raised yet', { incidentId: pending.id, err: error });
          return raised;
        }
        clearPendingIncident(this.db, pending.id);
      }
    }
  }

  private async raise({ id, data, meta }: PendingIncident): Promise<number> {
    try {
      const outcome = await runCommand(
        this.store,
        incidentStreamId(id),
        incidentDecider,
        { type: 'RecordIncident', data, metadata: { now: new Date(data.detectedAt) } },
        { meta: { ...meta, actor: { system: 'detector' } }, idempotencyKey: id, scope: 'incident-detected' },
      );
      if (outcome.events.length === 0 || outcome.replayed) return 0;
      this.log.info('security incident raised', { incidentId: id, kind: data.kind, severity: data.severity });
      return 1;
    } catch (error) {
      // Same id, other bytes: raised by a node with other thresholds. The incident exists; nothing to add.
      if (error instanceof DuplicateEventIdError) return 0;
      throw error;
    }
  }
}
