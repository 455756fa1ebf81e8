import type { Statement } from 'better-sqlite3';
import type { ReadDb } from '../projection';

export interface DirectoryOrganisation {
  id: string;
  name: string;
  kind: string;
  jurisdiction: string;
  icoRegistration: string | null;
  registeredAt: string;
}

export type KeyStatus = 'active' | 'revoked';

export interface DirectoryKey {
  orgId: string;
  fingerprint: string;
  algorithm: string;
  bits: number | null;
  /** ISO-8601 UTC, or null when the key does not expire. */
  expiresAt: string | null;
  status: KeyStatus;
  addedAt: string;
  revokedAt: string | null;
  /** ASCII-armored public key: public by nature, senders encrypt to it. */
  publicKey: string;
}

export type UserStatus = 'active' | 'suspended';

export interface DirectoryUser {
  id: string;
  /** Null for the platform admin, who belongs to no partner organisation. */
  orgId: string | null;
  name: string;
  email: string;
  role: string;
  status: UserStatus;
  accessAgreementVersion: number | null;
  enrolledAt: string;
}

export interface DirectoryToken {
  tokenId: string;
  userId: string;
  revoked: boolean;
  issuedAt: string;
  revokedAt: string | null;
}

/** What the auth guard needs about the holder of a token, in one lookup. */
export interface TokenHolder {
  tokenId: string;
  tokenRevoked: boolean;
  userId: string;
  orgId: string | null;
  role: string;
  status: UserStatus;
  accessAgreementVersion: number | null;
  /** Who issued the token (a userId), null when the platform did; and that issuer's role then. */
  issuedBy: string | null;
  issuedByRole: string | null;
}

const ORGANISATION = `SELECT id, name, kind, jurisdiction, ico_registration AS icoRegistration,
  registered_at AS registeredAt FROM directory_organisations`;
const KEY = `SELECT org_id AS orgId, fingerprint, algorithm, bits, expires_at AS expiresAt, status,
  added_at AS addedAt, revoked_at AS revokedAt, public_key AS publicKey FROM directory_keys`;
const USER = `SELECT id, org_id AS orgId, name, email, role, status,
  access_agreement_version AS accessAgreementVersion, enrolled_at AS enrolledAt FROM directory_users`;
const TOKEN = `SELECT token_id AS tokenId, user_id AS userId, revoked, issued_at AS issuedAt,
  revoked_at AS revokedAt FROM directory_tokens`;

/**
 * Synchronous queries over the directory (better-sqlite3 is synchronous and the read is local). Statements
 * are prepared on first use: the tables exist only once the projector has migrated them.
 */
export class DirectoryReadModel {
  private readonly statements = new Map<string, Statement>();

  constructor(private readonly db: ReadDb) {}

  organisation(id: string): DirectoryOrganisation | undefined {
    return this.get<DirectoryOrganisation>(`${ORGANISATION} WHERE id = ?`, id);
  }

  organisationExists(id: string): boolean {
    return this.organisation(id) !== undefined;
  }

  organisations(): DirectoryOrganisation[] {
    return this.all<DirectoryOrganisation>(`${ORGANISATION} ORDER BY id`);
  }

  /** Every key the organisation ever added, newest first; revoked ones stay for the history. */
  keys(orgId: string): DirectoryKey[] {
    return this.all<DirectoryKey>(`${KEY} WHERE org_id = ? ORDER BY added_at DESC, fingerprint`, orgId);
  }

  key(orgId: string, fingerprint: string): DirectoryKey | undefined {
    return this.get<DirectoryKey>(`${KEY} WHERE org_id = ? AND fingerprint = ?`, orgId, fingerprint);
  }

  /** Keys a new share may be encrypted to at `now`: not revoked and not expired. */
  activeKeys(orgId: string, now: Date): DirectoryKey[] {
    const iso = now.toISOString();
    return this.keys(orgId).filter(
      (k) => k.status === 'active' && (k.expiresAt === null || k.expiresAt > iso),
    );
  }

  user(id: string): DirectoryUser | undefined {
    return this.get<DirectoryUser>(`${USER} WHERE id = ?`, id);
  }

  /** Users of one organisation, or (null) the platform admins. */
  users(orgId: string | null): DirectoryUser[] {
    return orgId === null
      ? this.all<DirectoryUser>(`${USER} WHERE org_id IS NULL ORDER BY enrolled_at, id`)
      : this.all<DirectoryUser>(`${USER} WHERE org_id = ? ORDER BY enrolled_at, id`, orgId);
  }

  allUsers(): DirectoryUser[] {
    return this.all<DirectoryUser>(`${USER} ORDER BY enrolled_at, id`);
  }

  userCount(): number {
    return this.get<{ n: number }>('SELECT count(*) AS n FROM directory_users')!.n;
  }

  userByEmail(email: string): DirectoryUser | undefined {
    return this.get<DirectoryUser>(`${USER} WHERE email = ? ORDER BY enrolled_at LIMIT 1`, email);
  }

  tokens(userId: string): DirectoryToken[] {
    return this.all<Omit<DirectoryToken, 'revoked'> & { revoked: number }>(
      `${TOKEN} WHERE user_id = ? ORDER BY issued_at, token_id`,
      userId,
    ).map((t) => ({ ...t, revoked: t.revoked === 1 }));
  }

  /** The holder of a token, by the token's SHA-256 (hex); undefined when no such token was ever issued. */
  tokenHolder(tokenHash: string): TokenHolder | undefined {
    const row = this.get<Omit<TokenHolder, 'tokenRevoked'> & { tokenRevoked: number }>(
      `SELECT t.token_id AS tokenId, t.revoked AS tokenRevoked, u.id AS userId, u.org_id AS orgId, u.role,
         u.status, u.access_agreement_version AS accessAgreementVersion, t.issued_by AS issuedBy,
         t.issued_by_role AS issuedByRole
       FROM directory_tokens t JOIN directory_users u ON u.id = t.user_id WHERE t.token_hash = ?`,
      tokenHash,
    );
    return row && { ...row, tokenRevoked: row.tokenRevoked === 1 };
  }

  private get<T>(query: string, ...params: unknown[]): T | undefined {
    return this.statement(query).get(...params) as T | undefined;
  }

  private all<T>(query: string, ...params: unknown[]): T[] {
    return this.statement(query).all(...params) as T[];
  }

  private statement(query: string): Statement {
    let statement = this.statements.get(query);
    if (!statement) this.statements.set(query, (statement = this.db.prepare(query)));
    return statement;
  }
}
