import type { JsonObject, RecordedEvent } from '@accord/event-store';
import type { Projection, ReadDb } from '../projection';
import { actorOf, streamKindOf } from './audit-entry';

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
  'DocumentAccessed',
  'TransferBlocked',
  'DocumentErased',
  'PayloadDestroyed',
] as const;
type Handled = (typeof HANDLES)[number];

/**
 * Every movement of a payload, for the UK-only check (docs/architecture.md §9.4 and §19.2):
 * - `share`: one row per recipient, sender organisation -> recipient organisation, with both jurisdictions
 *   and the storage region the ciphertext went to;
 * - `access`: storage region -> the client's country, for each open;
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
  version: 2,
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
        id TEXT PRIMARY KEY, jurisdiction TEXT NOT NULL) STRICT, WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS transfer_documents (
        document_id TEXT PRIMARY KEY, agreement_id TEXT NOT NULL, storage_region TEXT NOT NULL,
        erased INTEGER NOT NULL DEFAULT 0) STRICT, WITHOUT ROWID;
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
        s.addOrganisation.run(id, text(event.data, 'jurisdiction') ?? 'unknown');
        s.batch.jurisdictions.delete(id);
      }
      return;
    }
    if (kind !== 'document') return;
    const base = movementBase(event, id);
    if (type === 'DocumentShared') {
      const sender = text(event.data, 'senderOrg');
      const region = text(event.data, 'storageRegion');
      const agreementId = text(event.data, 'agreementId');
      const recipients = list(event.data, 'recipients');
      if (sender === undefined || region === undefined || agreementId === undefined) return;
      s.addDocument.run(id, agreementId, region);
      s.batch.documents.delete(id);
      for (const org of [sender, ...recipients]) s.addParty.run(id, org);
      recipients.forEach((recipient, seq) =>
        insert(s, {
          ...base,
          seq,
          kind: 'share',
          agreementId,
          fromOrg: sender,
          fromJurisdiction: jurisdictionOf(s, sender),
          toOrg: recipient,
          toJurisdiction: jurisdictionOf(s, recipient),
          storageRegion: region,
          completed: 1,
        }),
      );
    } else if (type === 'DocumentErased') {
      s.markErased.run(id);
      s.batch.documents.delete(id);
    } else if (type === 'PayloadDestroyed') {
      const doc = documentOf(s, id);
      insert(s, {
        ...base,
        kind: 'destroyed',
        agreementId: doc?.agreementId ?? null,
        storageRegion: doc?.storageRegion ?? null,
        reason: doc?.erased ? 'erasure' : 'retention',
      });
    } else {
      const doc = documentOf(s, id);
      const opener = text(event.data, 'orgId') ?? base.actorOrgId;
      if (type === 'DocumentAccessed') {
        const client = event.data['client'] as JsonObject | undefined;
        insert(s, {
          ...base,
          kind: 'access',
          agreementId: doc?.agreementId ?? null,
          storageRegion: doc?.storageRegion ?? null,
          toOrg: opener,
          toJurisdiction: opener ? jurisdictionOf(s, opener) : null,
          clientCountry: (client && text(client, 'country')) ?? clientCountryOf(event) ?? 'unknown',
          completed: 1,
        });
      } else {
        insert(s, {
          ...base,
          kind: 'blocked',
          agreementId: doc?.agreementId ?? text(event.data, 'agreementId') ?? null,
          fromOrg: opener,
          fromJurisdiction: opener ? jurisdictionOf(s, opener) : null,
          storageRegion: doc?.storageRegion ?? null,
          clientCountry: clientCountryOf(event),
          completed: 0,
          reason: text(event.data, 'reason') ?? null,
          destination: text(event.data, 'destination') ?? null,
        });
      }
    }
  },
};

interface DocumentRow {
  agreementId: string;
  storageRegion: string;
  erased: number;
}

function movementBase(event: RecordedEvent, documentId: string) {
  const actor = actorOf(event);
  return {
    position: event.position,
    seq: 0,
    eventId: event.eventId,
    occurredAt: typeof event.meta.occurredAt === 'string' ? event.meta.occurredAt : '',
    documentId,
    agreementId: null as string | null,
    fromOrg: null as string | null,
    fromJurisdiction: null as string | null,
    toOrg: null as string | null,
    toJurisdiction: null as string | null,
    storageRegion: null as string | null,
    clientCountry: null as string | null,
    completed: 0,
    reason: null as string | null,
    destination: null as string | null,
    actorUserId: actor.userId,
    actorOrgId: actor.orgId,
  };
}

function clientCountryOf(event: RecordedEvent): string | null {
  const client = event.meta.client as { country?: unknown } | undefined;
  return typeof client?.country === 'string' ? client.country : null;
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

type Movement = ReturnType<typeof movementBase> & { kind: string };

/** Positional parameters: binding 18 named ones from an object cost more than SQLite's insert itself. */
function insert(s: Statements, m: Movement): void {
  s.insert.run(
    m.position,
    m.seq,
    m.eventId,
    m.occurredAt,
    m.kind,
    m.documentId,
    m.agreementId,
    m.fromOrg,
    m.fromJurisdiction,
    m.toOrg,
    m.toJurisdiction,
    m.storageRegion,
    m.clientCountry,
    m.completed,
    m.reason,
    m.destination,
    m.actorUserId,
    m.actorOrgId,
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
      'INSERT INTO transfer_organisations (id, jurisdiction) VALUES (?, ?) ON CONFLICT DO NOTHING',
    ),
    jurisdiction: db.prepare('SELECT jurisdiction FROM transfer_organisations WHERE id = ?').pluck(),
    addDocument: db.prepare(
      `INSERT INTO transfer_documents (document_id, agreement_id, storage_region) VALUES (?, ?, ?)
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
  if (!s) prepared.set(db, (s = { ...prepare(db), batch: { jurisdictions: new Map(), documents: new Map() } }));
  return s;
}
