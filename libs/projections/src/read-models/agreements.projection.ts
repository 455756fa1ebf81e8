import {
  AGREEMENT_EVENT_TYPES,
  AgreementEvent,
  AgreementState,
  currentTerms,
  evolveAgreement,
  ExistingAgreement,
  idOfStream,
  initialAgreementState,
} from '@accord/domain';
import type { RecordedEvent } from '@accord/event-store';
import type { Projection, ReadDb } from '../projection';
import { isWellFormedAgreementEvent } from './agreements.event-shape';
import { forgetStatements, sql } from '../statement-cache';

/** Every table this read model owns, for reset and for rebuild-equality tests. */
export const AGREEMENT_TABLES = [
  'agreements',
  'agreement_versions',
  'agreement_signatures',
  'agreement_parties',
] as const;

/**
 * Agreements, their versions, signatures and parties. Each row keeps the folded domain state (`state`), made
 * by the domain's own evolve(), so queries ask the domain's functions (status at a date, review overdue,
 * terms in force, reminders) rather than a copy of their rules. Nothing that depends on the clock is stored:
 * `terminated` and `reviewOverdue` are computed when read, from the stored dates and the caller's "now".
 */
export const agreementsProjection: Projection = {
  name: 'agreements',
  version: 1,
  handles: AGREEMENT_EVENT_TYPES,
  migrate(db) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS agreements (
        id TEXT PRIMARY KEY, title TEXT NOT NULL, tier INTEGER NOT NULL, parent_id TEXT, category TEXT NOT NULL,
        lead_org TEXT NOT NULL, status TEXT NOT NULL, version INTEGER NOT NULL, active_version INTEGER,
        next_review_due TEXT, termination_effective_at TEXT, drafted_at TEXT NOT NULL, updated_at TEXT NOT NULL,
        state TEXT NOT NULL) STRICT;
      CREATE INDEX IF NOT EXISTS agreements_by_parent ON agreements (parent_id) WHERE parent_id IS NOT NULL;
      CREATE TABLE IF NOT EXISTS agreement_versions (
        agreement_id TEXT NOT NULL, version INTEGER NOT NULL, reason_for_change TEXT, created_at TEXT NOT NULL,
        activated_at TEXT, terms TEXT NOT NULL, PRIMARY KEY (agreement_id, version)) STRICT;
      CREATE TABLE IF NOT EXISTS agreement_signatures (
        agreement_id TEXT NOT NULL, version INTEGER NOT NULL, org_id TEXT NOT NULL, signatory TEXT NOT NULL,
        position TEXT NOT NULL, signed_at TEXT NOT NULL, PRIMARY KEY (agreement_id, version, org_id)) STRICT;
      CREATE TABLE IF NOT EXISTS agreement_parties (
        agreement_id TEXT NOT NULL, org_id TEXT NOT NULL, PRIMARY KEY (agreement_id, org_id)) STRICT;
      CREATE INDEX IF NOT EXISTS agreement_parties_by_org ON agreement_parties (org_id, agreement_id);
    `);
  },
  reset(db) {
    forgetStatements(db);
    for (const table of AGREEMENT_TABLES) db.exec(`DROP TABLE IF EXISTS ${table}`);
  },
  apply(event: RecordedEvent, db: ReadDb) {
    if (!isWellFormedAgreementEvent(event.type, event.data)) return;
    const id = agreementIdOf(event.streamId);
    const change = { type: event.type, data: event.data } as AgreementEvent;
    const state = evolveAgreement(loadAgreementState(db, id), change);
    // An event the domain ignores (no draft before it) leaves nothing to show.
    if (state.status === 'none') return;
    const at = event.meta.occurredAt;
    switch (change.type) {
      case 'AgreementDrafted':
      case 'AgreementAmended': {
        const v = state.versions[state.version - 1]!;
        sql(
          db,
          `INSERT INTO agreement_versions (agreement_id, version, reason_for_change, created_at, activated_at, terms)
           VALUES (?, ?, ?, ?, NULL, ?) ON CONFLICT DO NOTHING`,
        ).run(id, v.version, v.reasonForChange, at, JSON.stringify(v.terms));
        const party = sql(
          db,
          `INSERT INTO agreement_parties (agreement_id, org_id) VALUES (?, ?) ON CONFLICT DO NOTHING`,
        );
        for (const orgId of v.terms.parties) party.run(id, orgId);
        break;
      }
      case 'AgreementImported': {
        const version = sql(
          db,
          `INSERT INTO agreement_versions (agreement_id, version, reason_for_change, created_at, activated_at, terms)
           VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
        );
        const signature = sql(
          db,
          `INSERT INTO agreement_signatures (agreement_id, version, org_id, signatory, position, signed_at)
           VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
        );
        const party = sql(
          db,
          `INSERT INTO agreement_parties (agreement_id, org_id) VALUES (?, ?) ON CONFLICT DO NOTHING`,
        );
        for (const v of change.data.versions) {
          version.run(id, v.version, v.reasonForChange, v.date ?? at, v.activatedAt, JSON.stringify(v.terms));
          for (const s of v.signatures)
            signature.run(id, v.version, s.orgId, s.signatory, s.position, s.signedOn);
          for (const orgId of v.terms.parties) party.run(id, orgId);
        }
        break;
      }
      case 'AgreementSigned': {
        const { orgId, signatory, position, version, signedAt } = change.data;
        sql(
          db,
          `INSERT INTO agreement_signatures (agreement_id, version, org_id, signatory, position, signed_at)
           VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
        ).run(id, version, orgId, signatory, position, signedAt);
        break;
      }
      case 'AgreementActivated':
        sql(db, `UPDATE agreement_versions SET activated_at = ? WHERE agreement_id = ? AND version = ?`).run(
          change.data.activatedAt,
          id,
          change.data.version,
        );
        break;
      default:
        break;
    }
    saveAgreement(db, id, state, at);
  },
};

function saveAgreement(db: ReadDb, id: string, state: ExistingAgreement, at: string): void {
  // Lists show the terms that govern shares; a draft not yet in force shows its own.
  const shown = state.activeTerms ?? currentTerms(state);
  sql(
    db,
    `INSERT INTO agreements (id, title, tier, parent_id, category, lead_org, status, version, active_version,
       next_review_due, termination_effective_at, drafted_at, updated_at, state)
     VALUES (@id, @title, @tier, @parentId, @category, @leadOrg, @status, @version, @activeVersion,
       @nextReviewDue, @terminationEffectiveAt, @at, @at, @state)
     ON CONFLICT (id) DO UPDATE SET title = excluded.title, tier = excluded.tier, parent_id = excluded.parent_id,
       category = excluded.category, lead_org = excluded.lead_org, status = excluded.status,
       version = excluded.version, active_version = excluded.active_version,
       next_review_due = excluded.next_review_due, termination_effective_at = excluded.termination_effective_at,
       updated_at = excluded.updated_at, state = excluded.state`,
  ).run({
    id,
    title: shown.title,
    tier: shown.tier,
    parentId: shown.parentId ?? null,
    category: shown.category,
    leadOrg: shown.leadOrg,
    status: state.status,
    version: state.version,
    activeVersion: state.activeVersion,
    nextReviewDue: state.nextReviewDue,
    terminationEffectiveAt: state.termination?.effectiveAt ?? null,
    at,
    state: JSON.stringify(state),
  });
}

/** The folded state as stored, or the domain's initial state for an agreement not seen yet. */
export function loadAgreementState(db: ReadDb, id: string): AgreementState {
  const row = sql(db, `SELECT state FROM agreements WHERE id = ?`).get(id) as { state: string } | undefined;
  return row ? (JSON.parse(row.state) as ExistingAgreement) : initialAgreementState();
}

export function agreementIdOf(streamId: string): string {
  return idOfStream('agreement', streamId);
}

/** Prepared once per connection and statement: preparing per event would dominate a long replay. */
