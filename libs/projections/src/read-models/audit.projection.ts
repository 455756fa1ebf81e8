import type { RecordedEvent } from '@accord/event-store';
import { ALL_EVENTS, Projection, ReadDb } from '../projection';
import {
  accessClientCountry,
  actorOf,
  entryDetails,
  eventOrgs,
  isAuditEntryType,
  partiesAddedBy,
  streamKindOf,
} from './audit-entry';

/** Every table this read model owns, for reset and for rebuild-equality tests. */
export const AUDIT_TABLES = [
  'audit_entries',
  'audit_stream_parties',
  'audit_org_words',
  'audit_subjects',
  'audit_streams',
] as const;

export const AUDIT_PROJECTION_NAME = 'audit';

/**
 * The audit trail. Rows (`audit_entries`): one per share, access, denial, transfer block, hold, restriction,
 * expiry, destruction and erasure, and per agreement, key and user lifecycle event, keyed by the event's
 * global position so any history can be cut at a position (`asOf`).
 *
 * Scope (`audit_org_words`): for every event of the log, not only rows, the organisations it involves as
 * things stood when it was appended: its stream's parties so far (a document's sender and recipients, an
 * agreement's parties, a user's organisation) and the event's own actor and subject organisation. It is
 * never rewritten afterwards, so an organisation's view of the past does not change when it joins an
 * agreement later, and an organisation auditor's export of the raw log is a fixed set of positions.
 * It is kept compact (docs/architecture.md §37.2): a row per organisation and run of 32 positions, whose
 * `bits` say which of them involve it (bit k: position word * 32 + k), gathered in memory over a batch and
 * written once per batch; a row per (organisation, event) pair was most of a replay's writes.
 *
 * Subjects (`audit_subjects`): the HMAC subject references of each document, removed when the document is
 * erased, so the read side cannot link an erased document to its subject any more (the events still can).
 *
 * Rows are indexed by their stream's birth (the position of its first row, unique per stream) rather than by
 * the stream id: streams are born in log order and are busiest soon after, so index inserts land near the
 * index's tail instead of on a random page per active stream. That halved the replay's cost (bench (e)).
 */
export const auditProjection: Projection = {
  name: AUDIT_PROJECTION_NAME,
  // 2: DocumentSuperseded became a row (rectification, issue 6). 3: the token issuer (issue 12).
  // 4: DocumentRevoked and the team events became rows (issue 13, docs/architecture.md §24, §25).
  // 5: the organisation index as words of 32 positions (audit_org_words), docs/architecture.md §37.2.
  // 6: an access's client country (client_country), from which transfers derive their access movements (§37.2.2).
  version: 6,
  handles: [ALL_EVENTS],
  // apply reads only the parties, streams and subjects tables; these serve the histories (audit.queries.ts).
  queryIndexes: [
    'audit_entries_by_stream',
    'audit_entries_by_agreement',
    'audit_entries_by_actor',
    'audit_entries_by_time',
  ],
  migrate(db) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS audit_entries (
        position INTEGER PRIMARY KEY, event_id TEXT NOT NULL, type TEXT NOT NULL, occurred_at TEXT NOT NULL,
        stream_id TEXT NOT NULL, stream_birth INTEGER NOT NULL, document_id TEXT, agreement_id TEXT,
        organisation_id TEXT, user_id TEXT, actor_user_id TEXT, actor_org_id TEXT, actor_role TEXT,
        actor_system TEXT, actor_token_issuer TEXT, org_id TEXT, details TEXT NOT NULL, client_country TEXT)
        STRICT;
      CREATE INDEX IF NOT EXISTS audit_entries_by_stream ON audit_entries (stream_birth, position);
      CREATE INDEX IF NOT EXISTS audit_entries_by_agreement ON audit_entries (agreement_id, position)
        WHERE agreement_id IS NOT NULL;
      CREATE INDEX IF NOT EXISTS audit_entries_by_actor ON audit_entries (actor_user_id, position)
        WHERE actor_user_id IS NOT NULL;
      CREATE INDEX IF NOT EXISTS audit_entries_by_time ON audit_entries (occurred_at, position);
      CREATE TABLE IF NOT EXISTS audit_stream_parties (
        stream_id TEXT NOT NULL, org_id TEXT NOT NULL, PRIMARY KEY (stream_id, org_id)) STRICT, WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS audit_org_words (
        org_id TEXT NOT NULL, word INTEGER NOT NULL, bits INTEGER NOT NULL, PRIMARY KEY (org_id, word))
        STRICT, WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS audit_subjects (
        subject_ref TEXT NOT NULL, stream_id TEXT NOT NULL, PRIMARY KEY (subject_ref, stream_id)) STRICT, WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS audit_subjects_by_stream ON audit_subjects (stream_id);
      CREATE TABLE IF NOT EXISTS audit_streams (
        stream_id TEXT PRIMARY KEY, birth INTEGER NOT NULL, agreement_id TEXT) STRICT, WITHOUT ROWID;
    `);
  },
  reset(db) {
    prepared.delete(db);
    batches.delete(db);
    // audit_org_events: the row-per-pair index of versions before 5.
    for (const table of [...AUDIT_TABLES, 'audit_org_events']) db.exec(`DROP TABLE IF EXISTS ${table}`);
  },
  startBatch(db) {
    batches.set(db, { streams: new Map(), words: new Map() });
  },
  apply(event: RecordedEvent, db: ReadDb) {
    const s = statements(db);
    const batch = batches.get(db)!;
    const { streamId, position } = event;
    const memo = streamMemo(s, batch, streamId);
    for (const org of partiesAddedBy(event)) {
      if (memo.parties.includes(org)) continue;
      memo.parties.push(org);
      s.addParty.run(streamId, org);
    }
    if (isAuditEntryType(event.type)) insertEntry(s, memo, event);
    // Setting a bit twice is harmless, so the stream's parties and the event's own organisations are not
    // merged into a set first: that was an allocation per event of a replay (docs/architecture.md §37.2.1).
    const word = Math.floor(position / WORD_BITS);
    const bit = 2 ** (position % WORD_BITS);
    for (const org of memo.parties) involve(batch, org, word, bit);
    for (const org of eventOrgs(event)) involve(batch, org, word, bit);
  },
  endBatch(db) {
    const s = statements(db);
    const batch = batches.get(db)!;
    for (const [org, words] of batch.words) for (const [word, bits] of words) s.involve.run(org, word, bits);
    batches.delete(db);
  },
};

/** Positions per row of audit_org_words: the bits of a JS number that bitwise operators keep exact. */
export const WORD_BITS = 32;

/** What this batch knows of a stream: read once from the tables, then kept up to date by apply. */
interface StreamMemo {
  parties: string[];
  /** Its row of audit_streams; undefined until its first entry. */
  stream: { birth: number; agreementId: string | null } | undefined;
}

interface Batch {
  streams: Map<string, StreamMemo>;
  /** org -> word -> bits of the positions this batch adds. */
  words: Map<string, Map<number, number>>;
}

const batches = new WeakMap<ReadDb, Batch>();

function involve(batch: Batch, org: string, word: number, bit: number): void {
  let words = batch.words.get(org);
  if (!words) batch.words.set(org, (words = new Map()));
  words.set(word, ((words.get(word) ?? 0) | bit) >>> 0);
}

function streamMemo(s: Statements, batch: Batch, streamId: string): StreamMemo {
  let memo = batch.streams.get(streamId);
  if (!memo) {
    memo = {
      parties: s.parties.all(streamId) as string[],
      stream: s.stream.get(streamId) as StreamMemo['stream'],
    };
    batch.streams.set(streamId, memo);
  }
  return memo;
}

function insertEntry(s: Statements, memo: StreamMemo, event: RecordedEvent): void {
  const { type, streamId, data } = event;
  if (!isAuditEntryType(type)) return;
  const [kind, id] = streamKindOf(streamId);
  let stream = memo.stream;
  if (!stream) {
    stream = memo.stream = { birth: event.position, agreementId: null };
    s.addStream.run(streamId, event.position);
  }
  let agreementId: string | null = kind === 'agreement' ? id : null;
  if (kind === 'document') {
    const declared = typeof data['agreementId'] === 'string' ? data['agreementId'] : null;
    if (type === 'DocumentShared' && declared !== null) {
      s.setAgreement.run(declared, streamId);
      stream.agreementId = declared;
      if (Array.isArray(data['subjectRefs'])) {
        for (const ref of data['subjectRefs']) if (typeof ref === 'string') s.addSubject.run(ref, streamId);
      }
    }
    agreementId = stream.agreementId ?? declared;
    if (type === 'DocumentErased') s.dropSubjects.run(streamId);
  }
  const actor = actorOf(event);
  // Positional parameters: binding 17 named ones from an object cost more than SQLite's insert itself.
  s.insertEntry.run(
    event.position,
    event.eventId,
    type,
    typeof event.meta.occurredAt === 'string' ? event.meta.occurredAt : '',
    streamId,
    stream.birth,
    kind === 'document' ? id : null,
    agreementId,
    kind === 'organisation' ? id : null,
    kind === 'user' ? id : null,
    actor.userId,
    actor.orgId,
    actor.role,
    actor.system,
    typeof event.meta.tokenIssuer === 'string' ? event.meta.tokenIssuer : null,
    typeof data['orgId'] === 'string' ? data['orgId'] : null,
    JSON.stringify(entryDetails(type, data)),
    type === 'DocumentAccessed' ? accessClientCountry(event) : null,
  );
}

function prepare(db: ReadDb) {
  return {
    addParty: db.prepare(
      'INSERT INTO audit_stream_parties (stream_id, org_id) VALUES (?, ?) ON CONFLICT DO NOTHING',
    ),
    parties: db.prepare('SELECT org_id FROM audit_stream_parties WHERE stream_id = ?').pluck(),
    involve: db.prepare(
      `INSERT INTO audit_org_words (org_id, word, bits) VALUES (?, ?, ?)
       ON CONFLICT (org_id, word) DO UPDATE SET bits = bits | excluded.bits`,
    ),
    stream: db.prepare('SELECT birth, agreement_id AS agreementId FROM audit_streams WHERE stream_id = ?'),
    addStream: db.prepare(
      'INSERT INTO audit_streams (stream_id, birth) VALUES (?, ?) ON CONFLICT DO NOTHING',
    ),
    setAgreement: db.prepare('UPDATE audit_streams SET agreement_id = ? WHERE stream_id = ?'),
    addSubject: db.prepare(
      'INSERT INTO audit_subjects (subject_ref, stream_id) VALUES (?, ?) ON CONFLICT DO NOTHING',
    ),
    dropSubjects: db.prepare('DELETE FROM audit_subjects WHERE stream_id = ?'),
    insertEntry: db.prepare(
      `INSERT INTO audit_entries (position, event_id, type, occurred_at, stream_id, stream_birth, document_id,
         agreement_id, organisation_id, user_id, actor_user_id, actor_org_id, actor_role, actor_system,
         actor_token_issuer, org_id, details, client_country)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (position) DO NOTHING`,
    ),
  };
}

type Statements = ReturnType<typeof prepare>;

/** Prepared once per connection: preparing per event would dominate a million-event replay. */
const prepared = new WeakMap<ReadDb, Statements>();

function statements(db: ReadDb): Statements {
  let s = prepared.get(db);
  if (!s) prepared.set(db, (s = prepare(db)));
  return s;
}
