import { UK_JURISDICTIONS } from '@accord/domain';
import type { ReadDb } from '../projection';
import { sql } from '../statement-cache';

export type TransferKind = 'share' | 'access' | 'blocked' | 'destroyed';
export type TransferVerdict = 'uk' | 'non-uk';

/**
 * One movement of a payload (or a refused attempt at one) with its UK-only verdict; or, as `destroyed`,
 * the payload's deletion from its storage region (`reason`: `retention` or `erasure`), which moves nothing.
 */
export interface TransferRecord {
  position: number;
  seq: number;
  eventId: string;
  occurredAt: string;
  kind: TransferKind;
  documentId: string;
  agreementId: string | null;
  from: { orgId: string | null; jurisdiction: string | null; storageRegion: string | null };
  to: { orgId: string | null; jurisdiction: string | null; clientCountry: string | null };
  /** False for a blocked attempt: nothing moved. */
  completed: boolean;
  verdict: TransferVerdict;
  /** Which legs were outside the UK: `sender`, `recipient`, `storage`, `client`; a blocked attempt's reason. */
  nonUkBecause: string[];
  reason: string | null;
  destination: string | null;
  actor: { userId: string | null; orgId: string | null };
}

export interface TransferSummary {
  /** Movements and attempts checked. */
  checked: number;
  /** Non-UK movements attempted, blocked ones included. */
  nonUkAttempted: number;
  /** Non-UK movements that went ahead: the UK-only rule says this is always 0. */
  nonUkCompleted: number;
  /** Payloads destroyed (retention or erasure); not movements, so not in `checked`. */
  destroyed: number;
}

export interface TransferQuery {
  /** Lower-case storage regions counted as UK (UK_STORAGE_REGIONS). */
  ukStorageRegions: readonly string[];
  /** Only non-UK movements and attempts. */
  nonUkOnly: boolean;
  /** Only movements involving this organisation; null for a platform-wide auditor. */
  scopeOrgId: string | null;
  /** Exclusive cursor [position, seq]; [0, -1] from the start. */
  after: [number, number];
  /** Inclusive `asOf` position. */
  upTo: number;
  limit: number;
}

export interface TransferPage {
  items: TransferRecord[];
  /** `position.seq` of the last item when there is more, to pass back as `after`. */
  nextAfter: string | null;
  summary: TransferSummary;
}

interface Row {
  position: number;
  seq: number;
  eventId: string;
  occurredAt: string;
  kind: TransferKind;
  documentId: string;
  agreementId: string | null;
  fromOrg: string | null;
  fromJurisdiction: string | null;
  toOrg: string | null;
  toJurisdiction: string | null;
  storageRegion: string | null;
  clientCountry: string | null;
  completed: number;
  reason: string | null;
  destination: string | null;
  actorUserId: string | null;
  actorOrgId: string | null;
  senderOut: number;
  recipientOut: number;
  storageOut: number;
  clientOut: number;
}

const UK = `(SELECT value FROM json_each(@uk))`;
const REGIONS = `(SELECT value FROM json_each(@regions))`;
/** Each leg's verdict, by kind: a share's sender, recipient and storage; an access's storage and client. */
const LEGS = `
  (t.kind = 'share' AND coalesce(t.from_jurisdiction, '') NOT IN ${UK}) AS senderOut,
  (t.kind = 'share' AND coalesce(t.to_jurisdiction, '') NOT IN ${UK}) AS recipientOut,
  (t.kind IN ('share', 'access') AND lower(coalesce(t.storage_region, '')) NOT IN ${REGIONS}) AS storageOut,
  (t.kind = 'access' AND coalesce(t.client_country, '') <> 'GB') AS clientOut`;
const NON_UK = `(kind = 'blocked' OR senderOut OR recipientOut OR storageOut OR clientOut)`;
/** The organisation acted, moved or received the data, or sent or received the document. */
const SCOPE = `AND (t.from_org = @scope OR t.to_org = @scope OR t.actor_org_id = @scope OR EXISTS (
  SELECT 1 FROM transfer_parties p WHERE p.document_id = t.document_id AND p.org_id = @scope))`;

/**
 * An access per audit entry of a DocumentAccessed on a document stream, judged as things stood then: the
 * document's agreement and storage region if it had been shared before, the opener's jurisdiction if it had
 * registered before (the projection wrote exactly these into a row of its own until docs/architecture.md
 * §37.2.2). The other movements are the rows of `transfers`: the two are read as two arms in log order.
 */
const ACCESSES = `(
  SELECT a.position AS position, 0 AS seq, a.event_id AS event_id, a.occurred_at AS occurred_at,
    'access' AS kind, a.document_id AS document_id, d.agreement_id AS agreement_id, NULL AS from_org,
    NULL AS from_jurisdiction, coalesce(a.org_id, a.actor_org_id) AS to_org,
    CASE WHEN coalesce(a.org_id, a.actor_org_id) <> '' THEN coalesce(o.jurisdiction, 'unknown') END
      AS to_jurisdiction,
    d.storage_region AS storage_region, coalesce(a.client_country, 'unknown') AS client_country, 1 AS completed,
    NULL AS reason, NULL AS destination, a.actor_user_id AS actor_user_id, a.actor_org_id AS actor_org_id
  FROM audit_entries a
  LEFT JOIN transfer_documents d ON d.document_id = a.document_id AND d.position < a.position
  LEFT JOIN transfer_organisations o ON o.id = coalesce(a.org_id, a.actor_org_id) AND o.position < a.position
  WHERE a.type = 'DocumentAccessed' AND a.document_id IS NOT NULL)`;

const COLUMNS = `t.position, t.seq, t.event_id AS eventId, t.occurred_at AS occurredAt, t.kind,
  t.document_id AS documentId, t.agreement_id AS agreementId, t.from_org AS fromOrg,
  t.from_jurisdiction AS fromJurisdiction, t.to_org AS toOrg, t.to_jurisdiction AS toJurisdiction,
  t.storage_region AS storageRegion, t.client_country AS clientCountry, t.completed, t.reason, t.destination,
  t.actor_user_id AS actorUserId, t.actor_org_id AS actorOrgId`;

/** A page of movements in log order, and the summary over everything in scope up to `upTo`. */
export function listTransfers(db: ReadDb, q: TransferQuery): TransferPage {
  const scoped = q.scopeOrgId !== null;
  const params = {
    uk: JSON.stringify(UK_JURISDICTIONS),
    regions: JSON.stringify(q.ukStorageRegions.map((r) => r.toLowerCase())),
    upTo: q.upTo,
    ...(scoped ? { scope: q.scopeOrgId } : {}),
  };
  // Each arm reads in log order and is judged on its own, so the page is a merge that stops at `limit`.
  const arm = (source: string) => `SELECT * FROM (SELECT ${COLUMNS}, ${LEGS} FROM ${source} t
    WHERE t.position <= @upTo ${scoped ? SCOPE : ''}
      AND (t.position > @afterPosition OR (t.position = @afterPosition AND t.seq > @afterSeq)))
    ${q.nonUkOnly ? `WHERE ${NON_UK}` : ''}`;
  const rows = sql(
    db,
    `${arm('transfers')} UNION ALL ${arm(ACCESSES)} ORDER BY position, seq LIMIT @limit`,
  ).all({ ...params, afterPosition: q.after[0], afterSeq: q.after[1], limit: q.limit + 1 }) as Row[];
  const judged = `WITH judged AS (SELECT ${COLUMNS}, ${LEGS}
    FROM (SELECT * FROM transfers UNION ALL SELECT * FROM ${ACCESSES}) t
    WHERE t.position <= @upTo ${scoped ? SCOPE : ''})`;
  const summary = sql(
    db,
    `${judged} SELECT coalesce(sum(kind <> 'destroyed'), 0) AS checked,
       coalesce(sum(${NON_UK}), 0) AS nonUkAttempted, coalesce(sum(${NON_UK} AND completed), 0) AS nonUkCompleted,
       coalesce(sum(kind = 'destroyed'), 0) AS destroyed FROM judged`,
  ).get(params) as TransferSummary;
  const more = rows.length > q.limit;
  const items = (more ? rows.slice(0, q.limit) : rows).map(recordOf);
  const last = items[items.length - 1];
  return { items, nextAfter: more && last ? `${last.position}.${last.seq}` : null, summary };
}

function recordOf(r: Row): TransferRecord {
  const because: string[] = [];
  if (r.senderOut) because.push('sender');
  if (r.recipientOut) because.push('recipient');
  if (r.storageOut) because.push('storage');
  if (r.clientOut) because.push('client');
  if (r.kind === 'blocked') because.push(r.reason ?? 'blocked');
  return {
    position: r.position,
    seq: r.seq,
    eventId: r.eventId,
    occurredAt: r.occurredAt,
    kind: r.kind,
    documentId: r.documentId,
    agreementId: r.agreementId,
    from: { orgId: r.fromOrg, jurisdiction: r.fromJurisdiction, storageRegion: r.storageRegion },
    to: { orgId: r.toOrg, jurisdiction: r.toJurisdiction, clientCountry: r.clientCountry },
    completed: r.completed === 1,
    verdict: because.length > 0 ? 'non-uk' : 'uk',
    nonUkBecause: because,
    reason: r.reason,
    destination: r.destination,
    actor: { userId: r.actorUserId, orgId: r.actorOrgId },
  };
}
