import type { JsonObject } from '@accord/event-store';
import type { ReadDb } from '../projection';
import { AUDIT_PROJECTION_NAME, WORD_BITS } from './audit.projection';
import { sql } from '../statement-cache';

/** One row of a history: an event as the audit trail keeps it (see audit-entry.ts for what is withheld). */
export interface AuditEntry {
  /** The event's global position: the order of the log, and what `asOf` and `after` count in. */
  position: number;
  eventId: string;
  type: string;
  occurredAt: string;
  streamId: string;
  documentId: string | null;
  /** The agreement a document event was shared (or refused) under, or the agreement of an agreement event. */
  agreementId: string | null;
  organisationId: string | null;
  userId: string | null;
  actor: {
    userId: string | null;
    orgId: string | null;
    role: string | null;
    system: string | null;
    /** Who issued the token the actor acted with, when someone else did (present only then). */
    tokenIssuer?: string;
  };
  /** The organisation a decision was about: the opener's, the refused caller's, the holder's. */
  orgId: string | null;
  details: JsonObject;
}

export type AuditTarget =
  | { kind: 'document'; id: string }
  | { kind: 'user'; id: string }
  | { kind: 'organisation'; id: string }
  | { kind: 'agreement'; id: string }
  | { kind: 'subject'; ref: string };

export interface AuditWindow {
  /** Exclusive lower bound (a page's `nextAfter`); 0 from the start. */
  after: number;
  /** Inclusive upper bound: the `asOf` position. */
  upTo: number;
  limit: number;
  /** Only events involving this organisation; null for a platform-wide auditor. */
  scopeOrgId: string | null;
}

export interface AuditPage {
  items: AuditEntry[];
  /** Pass as `after` for the next page; null when this page reached `upTo`. */
  nextAfter: number | null;
}

interface EntryRow {
  position: number;
  eventId: string;
  type: string;
  occurredAt: string;
  streamId: string;
  documentId: string | null;
  agreementId: string | null;
  organisationId: string | null;
  userId: string | null;
  actorUserId: string | null;
  actorOrgId: string | null;
  actorRole: string | null;
  actorSystem: string | null;
  actorTokenIssuer: string | null;
  orgId: string | null;
  details: string;
}

const COLUMNS = `e.position, e.event_id AS eventId, e.type, e.occurred_at AS occurredAt, e.stream_id AS streamId,
  e.document_id AS documentId, e.agreement_id AS agreementId, e.organisation_id AS organisationId,
  e.user_id AS userId, e.actor_user_id AS actorUserId, e.actor_org_id AS actorOrgId, e.actor_role AS actorRole,
  e.actor_system AS actorSystem, e.actor_token_issuer AS actorTokenIssuer, e.org_id AS orgId, e.details`;

/** Does the organisation's word for this position have its bit set (audit.projection.ts)? `position` must be
 * an INTEGER expression (better-sqlite3 binds a JS number as REAL, and `/` would then not divide whole). */
const involves = (org: string, position: string) =>
  `EXISTS (SELECT 1 FROM audit_org_words w WHERE w.org_id = ${org} AND w.word = ${position} / ${WORD_BITS}
    AND (w.bits >> (${position} % ${WORD_BITS})) & 1)`;

const SCOPE = `AND ${involves('@scope', 'e.position')}`;

/** Positions taken from an organisation's index per query of its rows (a page is usually one such step). */
const CANDIDATES = 256;

/** A stream's rows are found by its birth (see audit.projection.ts); -1 matches nothing. */
const BIRTH = `coalesce((SELECT birth FROM audit_streams WHERE stream_id = @stream), -1)`;

const TARGET_WHERE: Record<Exclude<AuditTarget['kind'], 'organisation'>, string> = {
  document: `e.stream_birth = ${BIRTH}`,
  // The user's own actions, and what was done to their account (enrolment, suspension).
  user: `(e.actor_user_id = @id OR e.stream_birth = ${BIRTH})`,
  agreement: 'e.agreement_id = @id',
  subject: `e.stream_birth IN (SELECT s.birth FROM audit_subjects j JOIN audit_streams s ON s.stream_id = j.stream_id
    WHERE j.subject_ref = @id)`,
};

/**
 * A scoped subject search finds only documents the caller's organisation is a party to (sender or
 * recipient): an outsider's own refused attempt on a document must not let it learn, by guessing a subject
 * identifier, whom that document is about. The refusal stays visible to the document's parties (in its
 * history) and, as the outsider's own act, in the outsider's organisation history, where no subject is shown.
 */
const SUBJECT_OF_PARTY = `e.stream_birth IN (SELECT s.birth FROM audit_subjects j JOIN audit_streams s ON s.stream_id = j.stream_id
    JOIN audit_stream_parties p ON p.stream_id = j.stream_id AND p.org_id = @scope WHERE j.subject_ref = @id)`;

/** In log order, at most `limit` rows with after < position <= upTo, within the caller's scope. */
export function auditHistory(db: ReadDb, target: AuditTarget, window: AuditWindow): AuditPage {
  const scoped = window.scopeOrgId !== null;
  const scope = scoped ? { scope: window.scopeOrgId } : {};
  let rows: EntryRow[];
  if (target.kind === 'organisation') {
    // Driven from the organisation's own index, so a page costs its rows, not the whole log: its positions
    // a few hundred at a time, then their rows (not every event of the log is a row).
    rows = [];
    const byPositions = sql(
      db,
      `SELECT ${COLUMNS} FROM audit_entries e WHERE e.position IN (SELECT value FROM json_each(@positions))
       ${scoped ? SCOPE : ''} ORDER BY e.position`,
    );
    const step = Math.max(CANDIDATES, window.limit + 1);
    for (let after = window.after; rows.length <= window.limit; ) {
      const positions = auditOrgPositions(db, target.id, after, window.upTo, step);
      if (positions.length === 0) break;
      const found = byPositions.all({ positions: JSON.stringify(positions), ...scope }) as EntryRow[];
      rows.push(...found.slice(0, window.limit + 1 - rows.length));
      if (positions.length < step) break;
      after = positions[positions.length - 1]!;
    }
  } else {
    const id = target.kind === 'subject' ? target.ref : target.id;
    rows = sql(
      db,
      `SELECT ${COLUMNS} FROM audit_entries e
       WHERE ${target.kind === 'subject' && scoped ? SUBJECT_OF_PARTY : TARGET_WHERE[target.kind]} AND e.position > @after AND e.position <= @upTo ${scoped ? SCOPE : ''}
       ORDER BY e.position LIMIT @limit`,
    ).all({
      id,
      stream: `${target.kind}-${id}`,
      after: window.after,
      upTo: window.upTo,
      limit: window.limit + 1,
      ...scope,
    }) as EntryRow[];
  }
  const more = rows.length > window.limit;
  const items = (more ? rows.slice(0, window.limit) : rows).map(entryOf);
  return { items, nextAfter: more ? items[items.length - 1]!.position : null };
}

/** The position the audit trail has reached: every event at or below it is in its tables. */
export function auditCheckpoint(db: ReadDb): number {
  const row = sql(db, `SELECT position FROM projection_checkpoints WHERE name = ?`)
    .pluck()
    .get(AUDIT_PROJECTION_NAME) as number | undefined;
  return row ?? 0;
}

/**
 * The position of the last recorded event that occurred at or before `iso` (0 if none): the cut an ISO
 * `asOf` stands for. Events are stamped by one clock before they are appended, so occurredAt grows with the
 * position (ties and a concurrent request's few milliseconds aside); positions stay the truth, and an
 * answer always reports the position it was cut at.
 */
export function auditPositionAt(db: ReadDb, iso: string): number {
  const row = sql(
    db,
    `SELECT position FROM audit_entries WHERE occurred_at <= ? ORDER BY occurred_at DESC, position DESC LIMIT 1`,
  )
    .pluck()
    .get(iso) as number | undefined;
  return row ?? 0;
}

/** When the last recorded event at or before `position` occurred (undefined before the first). */
export function auditTimeAt(db: ReadDb, position: number): string | undefined {
  return sql(db, `SELECT occurred_at FROM audit_entries WHERE position <= ? ORDER BY position DESC LIMIT 1`)
    .pluck()
    .get(position) as string | undefined;
}

/** Did the event at `position` involve `orgId` (as things stood when it was appended)? */
export function auditInvolves(db: ReadDb, orgId: string, position: number): boolean {
  return sql(db, `SELECT ${involves('@org', 'CAST(@position AS INTEGER)')}`).pluck().get({ org: orgId, position }) === 1;
}

/** Positions of the events involving `orgId`, after < position <= upTo, in order: an organisation's log. */
export function auditOrgPositions(
  db: ReadDb,
  orgId: string,
  after: number,
  upTo: number,
  limit: number,
): number[] {
  const positions: number[] = [];
  if (limit <= 0 || upTo <= after) return positions;
  const words = sql(
    db,
    `SELECT word, bits FROM audit_org_words WHERE org_id = ? AND word >= ? AND word <= ? ORDER BY word`,
  ).raw();
  for (const [word, bits] of words.iterate(
    orgId,
    Math.floor((after + 1) / WORD_BITS),
    Math.floor(upTo / WORD_BITS),
  ) as Iterable<[number, number]>) {
    for (let k = 0, rest = bits; rest !== 0; k++, rest >>>= 1) {
      if ((rest & 1) === 0) continue;
      const position = word * WORD_BITS + k;
      if (position <= after || position > upTo) continue;
      positions.push(position);
      if (positions.length === limit) return positions;
    }
  }
  return positions;
}

/** Is `orgId` a party of the stream (a document's sender or recipient, an agreement's party)? */
export function isAuditStreamParty(db: ReadDb, streamId: string, orgId: string): boolean {
  return (
    sql(db, `SELECT 1 FROM audit_stream_parties WHERE stream_id = ? AND org_id = ?`).get(streamId, orgId) !==
    undefined
  );
}

function entryOf(r: EntryRow): AuditEntry {
  return {
    position: r.position,
    eventId: r.eventId,
    type: r.type,
    occurredAt: r.occurredAt,
    streamId: r.streamId,
    documentId: r.documentId,
    agreementId: r.agreementId,
    organisationId: r.organisationId,
    userId: r.userId,
    actor: {
      userId: r.actorUserId,
      orgId: r.actorOrgId,
      role: r.actorRole,
      system: r.actorSystem,
      ...(r.actorTokenIssuer !== null ? { tokenIssuer: r.actorTokenIssuer } : {}),
    },
    orgId: r.orgId,
    details: JSON.parse(r.details) as JsonObject,
  };
}
