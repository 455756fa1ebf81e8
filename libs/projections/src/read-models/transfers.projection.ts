import type { JsonObject, RecordedEvent } from '@accord/event-store';
import type { Projection, ReadDb } from '../projection';
import { actorOf, AuditActor, requestCountry, streamKindOf } from './audit-entry';

/** Every table this read model owns, for reset and for rebuild-equality tests. */
export const TRANSFER_TABLES = [
  'transfers',
  'transfer_parties',
  'transfer_organisations',
  'transfer_documents',
] as const;

const HANDLES = [
  'OrganisationRegistered',
  'DocumentShared',
  'TransferBlocked',
  'DocumentErased',
  'PayloadDestroyed',
] as const;
type Handled = (typeof HANDLES)[number];

/**
 * Every movement of a payload, for the UK-only check (docs/architecture.md §9.4 and §19.2):
 * - `share`: one row per recipient, sender organisation -> recipient organisation, with both jurisdictions
 *   and the storage region the ciphertext went to;
 * - `access`: storage region -> the client's country, for each open: not stored here but derived, when read,
 *   from the audit trail's row of the DocumentAccessed (transfers.queries.ts), which holds the same event, time,
 *   document, actor and client country; an open is most of a log's events, and a row of its own in each read
 *   model was a tenth of a replay (docs/architecture.md §37.2.2). So these queries need the audit read model,
 *   and the organisations' and documents' rows here keep the position they were first seen at, so an access
 *   is judged as things stood when it happened (an organisation registered later was `unknown` then);
 * - `blocked`: an attempt the platform refused (TransferBlocked), with its reason and destination;
 * - `destroyed`: the payload deleted from its storage region (PayloadDestroyed), by retention or erasure:
 *   not a movement, so never counted in the summary, but the view shows where each payload ended.
 * The facts are stored, not the verdict: whether a storage region counts as UK is configuration
 * (UK_STORAGE_REGIONS), so the verdict is computed when read, against the list in force.
 *
 * Who may see a row: the document's sender and recipients (`transfer_parties`, written once per share), the
 * acting organisation and the organisation a refusal was about (columns of the row itself).
 */
export const transfersProjection: Projection = {
  name: 'transfers',
  // 2: destructions shown (`destroyed` rows, transfer_documents.erased).
  // 3: access movements derived from the audit trail's rows; organisations and documents keep their position.
  version: 3,
  handles: HANDLES,
  migrate(db) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS transfers (
        position INTEGER NOT NULL, seq INTEGER NOT NULL, event_id TEXT NOT NULL, occurred_at TEXT NOT NULL,
        kind TEXT NOT NULL, document_id TEXT NOT NULL, agreement_id TEXT, from_org TEXT, from_jurisdiction TEXT,
        to_org TEXT, to_jurisdiction TEXT, storage_region TEXT, client_country TEXT, completed INTEGER NOT NULL,
        reason TEXT, destination TEXT, actor_user_id TEXT, actor_org_id TEXT,
        PRIMARY KEY (position, seq)) STRICT, WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS transfer_parties (
        document_id TEXT NOT NULL, org_id TEXT NOT NULL, PRIMARY KEY (document_id, org_id)) STRICT, WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS transfer_organisations (
        id TEXT PRIMARY KEY, jurisdiction TEXT NOT NULL, position INTEGER NOT NULL) STRICT, WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS transfer_documents (
        document_id TEXT PRIMARY KEY, agreement_id TEXT NOT NULL, storage_region TEXT NOT NULL,
        erased INTEGER NOT NULL DEFAULT 0, position INTEGER NOT NULL) STRICT, WITHOUT ROWID;
    `);
  },
  reset(db) {
    prepared.delete(db);
    for (const table of TRANSFER_TABLES) db.exec(`DROP TABLE IF EXISTS ${table}`);
  },
  startBatch(db) {
    statements(db).batch = { jurisdictions: new Map(), documents: new Map() };
  },
  apply(event: RecordedEvent, db: ReadDb) {
    const s = statements(db);
    const [kind, id] = streamKindOf(event.streamId);
    const type = event.type as Handled;
    if (type === 'OrganisationRegistered') {
      if (kind === 'organisation') {
        s.addOrganisation.run(id, text(event.data, 'jurisdiction') ?? 'unknown', event.position);
        s.batch.jurisdictions.delete(id);
      }
      return;
    }
    if (kind !== 'document') return;
    const at = movementAt(event, id);
    if (type === 'DocumentShared') {
      const sender = text(event.data, 'senderOrg');
      const region = text(event.data, 'storageRegion');
      const agreementId = text(event.data, 'agreementId');
      const recipients = list(event.data, 'recipients');
      if (sender === undefined || region === undefined || agreementId === undefined) return;
      s.addDocument.run(id, agreementId, region, event.position);
      s.batch.documents.delete(id);
      for (const org of [sender, ...recipients]) s.addParty.run(id, org);
      const senderJurisdiction = jurisdictionOf(s, sender);
      recipients.forEach((recipient, seq) =>
        insert(
          s,
          at,
          seq,
          'share',
          agreementId,
          sender,
          senderJurisdiction,
          recipient,
          jurisdictionOf(s, recipient),
          region,
          null,
          1,
          null,
          null,
        ),
      );
    } else if (type === 'DocumentErased') {
      s.markErased.run(id);
      s.batch.documents.delete(id);
    } else if (type === 'PayloadDestroyed') {
      const doc = documentOf(s, id);
      insert(
        s,
        at,
        0,
        'destroyed',
        doc?.agreementId ?? null,
        null,
        null,
        null,
        null,
        doc?.storageRegion ?? null,
        null,
        0,
        doc?.erased ? 'erasure' : 'retention',
        null,
      );
    } else {
      const doc = documentOf(s, id);
      const opener = text(event.data, 'orgId') ?? at.actor.orgId;
      insert(
        s,
        at,
        0,
        'blocked',
        doc?.agreementId ?? text(event.data, 'agreementId') ?? null,
        opener,
        opener ? jurisdictionOf(s, opener) : null,
        null,
        null,
        doc?.storageRegion ?? null,
        requestCountry(event),
        0,
        text(event.data, 'reason') ?? null,
        text(event.data, 'destination') ?? null,
      );
    }
  },
};

interface DocumentRow {
  agreementId: string;
  storageRegion: string;
  erased: number;
}

/** What every row of one event shares: the event, its document and who acted. */
interface MovementAt {
  event: RecordedEvent;
  documentId: string;
  occurredAt: string;
  actor: AuditActor;
}

function movementAt(event: RecordedEvent, documentId: string): MovementAt {
  const occurredAt = typeof event.meta.occurredAt === 'string' ? event.meta.occurredAt : '';
  return { event, documentId, occurredAt, actor: actorOf(event) };
}

/**
 * What a batch has read of transfer_organisations and transfer_documents, dropped when apply changes a row:
 * nearly every event of a replay would otherwise read the same few rows again.
 */
interface Batch {
  jurisdictions: Map<string, string>;
  documents: Map<string, DocumentRow | undefined>;
}

function jurisdictionOf(s: Statements, orgId: string): string {
  let jurisdiction = s.batch.jurisdictions.get(orgId);
  if (jurisdiction === undefined) {
    jurisdiction = (s.jurisdiction.get(orgId) as string | undefined) ?? 'unknown';
    s.batch.jurisdictions.set(orgId, jurisdiction);
  }
  return jurisdiction;
}

function documentOf(s: Statements, documentId: string): DocumentRow | undefined {
  if (s.batch.documents.has(documentId)) return s.batch.documents.get(documentId);
  const row = s.document.get(documentId) as DocumentRow | undefined;
  s.batch.documents.set(documentId, row);
  return row;
}

/**
 * Positional parameters, passed straight through: binding 18 named ones from an object cost more than
 * SQLite's insert itself, and building a row object per movement (a base spread into each) was a third of
 * this read model's replay time (docs/architecture.md §37.2.1).
 */
function insert(
  s: Statements,
  at: MovementAt,
  seq: number,
  kind: 'share' | 'blocked' | 'destroyed',
  agreementId: string | null,
  fromOrg: string | null,
  fromJurisdiction: string | null,
  toOrg: string | null,
  toJurisdiction: string | null,
  storageRegion: string | null,
  clientCountry: string | null,
  completed: 0 | 1,
  reason: string | null,
  destination: string | null,
): void {
  s.insert.run(
    at.event.position,
    seq,
    at.event.eventId,
    at.occurredAt,
    kind,
    at.documentId,
    agreementId,
    fromOrg,
    fromJurisdiction,
    toOrg,
    toJurisdiction,
    storageRegion,
    clientCountry,
    completed,
    reason,
    destination,
    at.actor.userId,
    at.actor.orgId,
  );
}

function text(data: JsonObject, field: string): string | undefined {
  const v = data[field];
  return typeof v === 'string' ? v : undefined;
}

function list(data: JsonObject, field: string): string[] {
  const v = data[field];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function prepare(db: ReadDb) {
  return {
    addOrganisation: db.prepare(
      'INSERT INTO transfer_organisations (id, jurisdiction, position) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
    ),
    jurisdiction: db.prepare('SELECT jurisdiction FROM transfer_organisations WHERE id = ?').pluck(),
    addDocument: db.prepare(
      `INSERT INTO transfer_documents (document_id, agreement_id, storage_region, position) VALUES (?, ?, ?, ?)
       ON CONFLICT DO NOTHING`,
    ),
    addParty: db.prepare(
      'INSERT INTO transfer_parties (document_id, org_id) VALUES (?, ?) ON CONFLICT DO NOTHING',
    ),
    document: db.prepare(
      `SELECT agreement_id AS agreementId, storage_region AS storageRegion, erased FROM transfer_documents
       WHERE document_id = ?`,
    ),
    markErased: db.prepare('UPDATE transfer_documents SET erased = 1 WHERE document_id = ?'),
    insert: db.prepare(
      `INSERT INTO transfers (position, seq, event_id, occurred_at, kind, document_id, agreement_id, from_org,
         from_jurisdiction, to_org, to_jurisdiction, storage_region, client_country, completed, reason,
         destination, actor_user_id, actor_org_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT DO NOTHING`,
    ),
  };
}

/** The prepared statements, and what the current batch has read (set by startBatch). */
type Statements = ReturnType<typeof prepare> & { batch: Batch };

const prepared = new WeakMap<ReadDb, Statements>();

function statements(db: ReadDb): Statements {
  let s = prepared.get(db);
  if (!s)
    prepared.set(db, (s = { ...prepare(db), batch: { jurisdictions: new Map(), documents: new Map() } }));
  return s;
}
