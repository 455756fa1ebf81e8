import { Inject, Injectable } from '@nestjs/common';
import { parseDateOnly, parseInstant } from '@accord/domain';
import { Clock, READ_DB, ReadYourWrites, validationFailed } from '@accord/platform';
import {
  AUDIT_PROJECTION_NAME,
  auditPositionAt,
  auditTimeAt,
  readCheckpoints,
  ReadDb,
} from '@accord/projections';

/** `asOf`: a global position, or an ISO-8601 instant (a date alone is its midnight UTC). */
export const AS_OF_PATTERN =
  /^(?:\d{1,15}|\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2}))?)$/;

/** Where an answer is cut: every event at or below `position`, and the instant that stands for. */
export interface Cut {
  position: number;
  /** The instant asked for; for a position, when its last recorded event occurred (null before any). */
  at: string | null;
}

/**
 * Turns `asOf` into a position of the log. Positions are the truth: an ISO time becomes the position of the
 * last recorded event that occurred at or before it (see auditPositionAt). The read models are first
 * brought up to the log's head as it is now, so "now" means every event appended before the request, and
 * the cut never goes past what the read model has taken in.
 */
@Injectable()
export class AuditCuts {
  constructor(
    @Inject(READ_DB) private readonly db: ReadDb,
    private readonly readYourWrites: ReadYourWrites,
    private readonly clock: Clock,
  ) {}

  async cut(asOf: string | undefined, projection = AUDIT_PROJECTION_NAME): Promise<Cut> {
    const at = asOf !== undefined && !/^\d+$/.test(asOf) ? instantOf(asOf) : undefined;
    await this.readYourWrites.catchUp();
    const reached = readCheckpoints(this.db).find((c) => c.name === projection)?.position ?? 0;
    if (asOf === undefined) return { position: reached, at: this.clock.nowIso() };
    if (at === undefined) {
      const position = Math.min(Number(asOf), reached);
      return { position, at: auditTimeAt(this.db, position) ?? null };
    }
    return { position: Math.min(auditPositionAt(this.db, at), reached), at };
  }
}

/** A time `asOf` as the domain reads instants: a date that is not on the calendar (30 February) is refused. */
export const asOfInstant = (asOf: string): Date | undefined => parseInstant(asOf) ?? parseDateOnly(asOf);

function instantOf(asOf: string): string {
  const at = asOfInstant(asOf);
  if (!at) {
    throw validationFailed([{ pointer: '/asOf', detail: 'asOf must be a position or an ISO-8601 time' }]);
  }
  return at.toISOString();
}
