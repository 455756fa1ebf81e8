import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, EventStore, RecordedEvent } from '@accord/event-store';
import { READ_DB } from '@accord/platform';
import { auditOrgPositions, ReadDb } from '@accord/projections';
import type { AuditScope } from './audit-scope';

/** How many of an organisation's positions are held in memory at a time while its log streams out. */
const POSITIONS_PER_BATCH = 5000;

/**
 * One NDJSON line: a self-contained envelope, exactly as stored, so anyone holding the file can recompute
 * every hash with no access to the platform (the position is not part of the hash; it orders the log).
 */
export function envelopeLine(e: RecordedEvent): string {
  const { eventId, type, streamId, revision, position, data, meta } = e;
  return `${JSON.stringify({ eventId, type, streamId, revision, position, data, meta })}\n`;
}

/**
 * The raw log for GET /audit/events, in pages of NDJSON text. A platform auditor gets every event after
 * `after`; an organisation's auditor gets the events that involved their organisation when they were
 * appended, up to `upTo` (what the audit read model has taken in, so a resumed export misses nothing).
 */
@Injectable()
export class AuditLogExporter {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_DB) private readonly db: ReadDb,
  ) {}

  async *pages(scope: AuditScope, after: number, upTo: number, limit?: number): AsyncIterable<string> {
    if (scope === null) {
      for await (const page of this.store.readAll({ after, ...(limit ? { limit } : {}) })) {
        yield page.map(envelopeLine).join('');
      }
      return;
    }
    yield* this.organisationPages(scope, after, upTo, limit ?? Infinity);
  }

  private async *organisationPages(
    orgId: string,
    after: number,
    upTo: number,
    limit: number,
  ): AsyncIterable<string> {
    let wanted = auditOrgPositions(this.db, orgId, after, upTo, POSITIONS_PER_BATCH);
    let next = 0;
    let remaining = limit;
    if (wanted.length === 0) return;
    // The port reads the log in order from a position; the organisation's positions are merged into it.
    for await (const page of this.store.readAll({ after })) {
      let out = '';
      for (const e of page) {
        if (e.position !== wanted[next]) continue;
        out += envelopeLine(e);
        next += 1;
        remaining -= 1;
        if (next === wanted.length) {
          wanted = auditOrgPositions(this.db, orgId, e.position, upTo, POSITIONS_PER_BATCH);
          next = 0;
        }
        if (remaining === 0 || wanted.length === 0) {
          yield out;
          return;
        }
      }
      if (out !== '') yield out;
      if (page[page.length - 1]!.position >= upTo) return;
    }
  }
}
