import { idOfStream } from '@accord/domain';
import type { JsonObject, RecordedEvent } from '@accord/event-store';
import type { Projection, ReadDb } from '../projection';
import { forgetStatements, sql } from '../statement-cache';

/**
 * The platform admin belongs to no partner organisation. The user decider needs an organisation on
 * enrolment, so an admin's UserEnrolled names this reserved id; the directory shows the admin with no
 * organisation (org_id NULL), and no partner organisation can ever be registered under it.
 */
export const PLATFORM_ORGANISATION_ID = 'platform';

/** Every table this read model owns, for reset and for rebuild-equality tests. */
export const DIRECTORY_TABLES = [
  'directory_organisations',
  'directory_keys',
  'directory_users',
  'directory_tokens',
] as const;

const HANDLES = [
  'OrganisationRegistered',
  'OrganisationKeyAdded',
  'OrganisationKeyRevoked',
  'UserEnrolled',
  'AccessAgreementAccepted',
  'UserSuspended',
  'UserReinstated',
  'ApiTokenIssued',
  'ApiTokenRevoked',
] as const;

type Handled = (typeof HANDLES)[number];

/**
 * Who issued a token: the person whose request appended ApiTokenIssued (userId, role); null for the
 * platform itself (`accord admin init`), which issues only the first admin's own token.
 */
function issuerOf(event: RecordedEvent): [string | null, string | null] {
  const actor = event.meta.actor as { userId?: unknown; role?: unknown };
  return typeof actor.userId === 'string'
    ? [actor.userId, typeof actor.role === 'string' ? actor.role : null]
    : [null, null];
}

/** The directory: organisations, their keys, users and API token hashes (the guard's lookup). */
export const directoryProjection: Projection = {
  name: 'directory',
  // 2: who issued each token (issue 12).
  version: 2,
  handles: HANDLES,
  migrate(db) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS directory_organisations (
        id TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, jurisdiction TEXT NOT NULL,
        ico_registration TEXT, registered_at TEXT NOT NULL) STRICT;
      CREATE TABLE IF NOT EXISTS directory_keys (
        org_id TEXT NOT NULL, fingerprint TEXT NOT NULL, algorithm TEXT NOT NULL, bits INTEGER,
        expires_at TEXT, status TEXT NOT NULL, added_at TEXT NOT NULL, revoked_at TEXT, public_key TEXT NOT NULL,
        PRIMARY KEY (org_id, fingerprint)) STRICT;
      CREATE TABLE IF NOT EXISTS directory_users (
        id TEXT PRIMARY KEY, org_id TEXT, name TEXT NOT NULL, email TEXT NOT NULL, role TEXT NOT NULL,
        status TEXT NOT NULL, access_agreement_version INTEGER, enrolled_at TEXT NOT NULL) STRICT;
      CREATE INDEX IF NOT EXISTS directory_users_by_org ON directory_users (org_id, id);
      CREATE INDEX IF NOT EXISTS directory_users_by_email ON directory_users (email);
      CREATE TABLE IF NOT EXISTS directory_tokens (
        token_hash TEXT PRIMARY KEY, token_id TEXT NOT NULL, user_id TEXT NOT NULL, revoked INTEGER NOT NULL,
        issued_at TEXT NOT NULL, revoked_at TEXT, issued_by TEXT, issued_by_role TEXT,
        UNIQUE (user_id, token_id)) STRICT;
    `);
  },
  reset(db) {
    forgetStatements(db);
    for (const table of DIRECTORY_TABLES) db.exec(`DROP TABLE IF EXISTS ${table}`);
  },
  apply(event: RecordedEvent, db: ReadDb) {
    const at = event.meta.occurredAt;
    const d = event.data;
    switch (event.type as Handled) {
      case 'OrganisationRegistered':
        sql(
          db,
          `INSERT INTO directory_organisations (id, name, kind, jurisdiction, ico_registration, registered_at)
           VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
        ).run(
          idOfStream('organisation', event.streamId),
          text(d, 'name'),
          text(d, 'kind'),
          text(d, 'jurisdiction'),
          optionalText(d, 'icoRegistration'),
          at,
        );
        return;
      case 'OrganisationKeyAdded':
        sql(
          db,
          `INSERT INTO directory_keys (org_id, fingerprint, algorithm, bits, expires_at, status, added_at, public_key)
           VALUES (?, ?, ?, ?, ?, 'active', ?, ?) ON CONFLICT (org_id, fingerprint) DO NOTHING`,
        ).run(
          idOfStream('organisation', event.streamId),
          text(d, 'fingerprint'),
          text(d, 'algorithm'),
          typeof d['bits'] === 'number' ? d['bits'] : null,
          optionalText(d, 'expiresAt'),
          at,
          text(d, 'publicKey'),
        );
        return;
      case 'OrganisationKeyRevoked':
        sql(
          db,
          `UPDATE directory_keys SET status = 'revoked', revoked_at = ? WHERE org_id = ? AND fingerprint = ?`,
        ).run(at, idOfStream('organisation', event.streamId), text(d, 'fingerprint'));
        return;
      case 'UserEnrolled': {
        const orgId = text(d, 'orgId');
        sql(
          db,
          `INSERT INTO directory_users (id, org_id, name, email, role, status, access_agreement_version, enrolled_at)
           VALUES (?, ?, ?, ?, ?, 'active', NULL, ?) ON CONFLICT (id) DO NOTHING`,
        ).run(
          idOfStream('user', event.streamId),
          orgId === PLATFORM_ORGANISATION_ID ? null : orgId,
          text(d, 'name'),
          text(d, 'email'),
          text(d, 'role'),
          at,
        );
        return;
      }
      case 'AccessAgreementAccepted':
        sql(db, `UPDATE directory_users SET access_agreement_version = ? WHERE id = ?`).run(
          typeof d['version'] === 'number' ? d['version'] : null,
          idOfStream('user', event.streamId),
        );
        return;
      case 'UserSuspended':
      case 'UserReinstated':
        sql(db, `UPDATE directory_users SET status = ? WHERE id = ?`).run(
          event.type === 'UserSuspended' ? 'suspended' : 'active',
          idOfStream('user', event.streamId),
        );
        return;
      case 'ApiTokenIssued':
        sql(
          db,
          `INSERT INTO directory_tokens (token_hash, token_id, user_id, revoked, issued_at, issued_by, issued_by_role)
           VALUES (?, ?, ?, 0, ?, ?, ?) ON CONFLICT DO NOTHING`,
        ).run(text(d, 'tokenHash'), text(d, 'tokenId'), idOfStream('user', event.streamId), at, ...issuerOf(event));
        return;
      case 'ApiTokenRevoked':
        sql(
          db,
          `UPDATE directory_tokens SET revoked = 1, revoked_at = ? WHERE user_id = ? AND token_id = ? AND revoked = 0`,
        ).run(at, idOfStream('user', event.streamId), text(d, 'tokenId'));
        return;
      default:
        return;
    }
  },
};

/** Prepared once per connection and statement: preparing per event would dominate a long replay. */

/**
 * The deciders guarantee these fields; a hand-appended event missing one (tests, repairs) must not stall
 * the projector for every other read model, so it is recorded with an empty value instead.
 */
function text(data: JsonObject, field: string): string {
  const value = data[field];
  return typeof value === 'string' ? value : '';
}

function optionalText(data: JsonObject, field: string): string | null {
  const value = data[field];
  return typeof value === 'string' ? value : null;
}
