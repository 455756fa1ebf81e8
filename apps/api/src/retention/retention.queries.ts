import type { ReadDb } from '@accord/projections';
import { findDocument } from '@accord/projections';
import type { RetentionEntryDto } from './retention.dto';

/** A sweep's batch: the next sweep takes the rest, so one pass never holds the read model long. */
export const SWEEP_BATCH = 1000;

/**
 * Documents past retainUntil whose payload still exists and that no hold protects. The read model is a
 * filter only: the destroy job decides again on the event store, so a lagging read model can delay a
 * destruction but never cause a wrong one. retain_until is always a `toISOString()` instant, so text
 * order is time order. An erased document whose payload is still there is due whatever its date or hold:
 * its erasure committed to the destruction and was interrupted (a crash between DocumentErased and
 * PayloadDestroyed), so the sweep finishes it. A revoked document is due at once unless held
 * (docs/architecture.md §25): the sweep finishes a revocation whose destroy job was lost.
 */
export function dueDocumentIds(db: ReadDb, nowIso: string, limit = SWEEP_BATCH): string[] {
  return db
    .prepare(
      `SELECT id FROM documents WHERE payload_destroyed = 0
         AND (erased = 1 OR (legal_hold = 0 AND (revoked = 1 OR retain_until <= ?)))
       ORDER BY retain_until LIMIT ?`,
    )
    .pluck()
    .all(nowIso, limit) as string[];
}

/** What `orgId` sent or received, soonest retainUntil first, optionally only what is due by `dueBefore`. */
export function retentionSchedule(db: ReadDb, orgId: string, dueBefore?: string): RetentionEntryDto[] {
  const ids = db
    .prepare(
      `SELECT d.id FROM documents d
       WHERE (d.sender_org = @orgId OR EXISTS (SELECT 1 FROM document_recipients r
              WHERE r.document_id = d.id AND r.org_id = @orgId))
         AND (@dueBefore IS NULL OR d.retain_until <= @dueBefore)
       ORDER BY d.retain_until, d.id LIMIT 1000`,
    )
    .pluck()
    .all({ orgId, dueBefore: dueBefore ?? null }) as string[];
  return ids.flatMap((id) => {
    const r = findDocument(db, id);
    if (!r) return [];
    return [
      {
        documentId: r.id,
        title: r.title,
        senderOrg: r.senderOrg,
        recipients: r.recipients,
        retainUntil: r.retainUntil,
        legalHold: r.legalHold,
        retentionExpired: r.retentionExpired,
        payloadDestroyed: r.payloadDestroyed,
        state: r.state,
      },
    ];
  });
}
