import { Provider } from '@nestjs/common';
import { Client } from 'pg';
import { ACCORD_CONFIG, AppLogger, LoadedConfig } from '@accord/platform';

/**
 * Who may sign checkpoints now (docs/architecture.md §38). One node signs at a time: several signers over one
 * shared log would race on the checkpoints table every interval and sign the same tree three times.
 */
export interface SignerLease {
  /** True while this node is the signer; a node that is not tries to become it on each call. */
  holds(): Promise<boolean>;
  close(): Promise<void>;
}

export const SIGNER_LEASE = Symbol('SIGNER_LEASE');

/** One api over its own store (SQLite: the read-models lock allows one per DATA_DIR): it always signs. */
export class SoleSigner implements SignerLease {
  async holds(): Promise<boolean> {
    return true;
  }
  async close(): Promise<void> {}
}

/**
 * The signer is the node holding a PostgreSQL session-level advisory lock, on a connection of its own. The
 * lock lives as long as that session: a node that dies (SIGKILL included) drops its connection, PostgreSQL
 * releases the lock at once, and the next node whose timer asks takes it. A node whose connection breaks
 * learns so on its next check (the query fails) and stops signing. So the lease needs a session of its own:
 * through a pooler in transaction mode (PgBouncer) the lock would be someone else's.
 *
 * No fencing token: a deposed signer can at worst finish the one checkpoint it was signing. That checkpoint
 * is still true (Ed25519 is deterministic, the tree is the shared one, so it is the very note the new signer
 * would make at that size) and the checkpoints table keeps the first row per tree size.
 */
export class PostgresSignerLease implements SignerLease {
  private client: Client | undefined;
  private held = false;

  constructor(
    private readonly url: string,
    private readonly logger: AppLogger,
  ) {}

  async holds(): Promise<boolean> {
    try {
      const client = await this.connected();
      if (this.held) {
        // A session lock is released only with its session: a session that still answers still holds it.
        await client.query('SELECT 1');
      } else {
        const { rows } = await client.query<{ ok: boolean }>(
          'SELECT pg_try_advisory_lock(hashtext($1)) AS ok',
          [LOCK_NAME],
        );
        this.held = rows[0]?.ok === true;
        if (this.held) this.logger.info('this node is now the checkpoint signer');
      }
    } catch (error) {
      this.logger.warn('checkpoint signer lease check failed; not signing', { err: error });
      this.drop();
    }
    return this.held;
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.held = false;
    await client?.end().catch(() => undefined);
  }

  private async connected(): Promise<Client> {
    if (this.client) return this.client;
    const client = new Client({ connectionString: this.url, application_name: 'accord-checkpoint-signer' });
    // A broken connection means the lock is gone with it: forget both, and reconnect on the next check.
    client.on('error', () => {
      if (this.client === client) this.drop();
    });
    this.client = client;
    await client.connect();
    return client;
  }

  private drop(): void {
    const client = this.client;
    this.client = undefined;
    this.held = false;
    void client?.end().catch(() => undefined);
  }
}

/** hashtext() of this names the lock; any other Accord lock takes another name. */
const LOCK_NAME = 'accord.checkpoint-signer';

/** The PostgreSQL lease when the event store is PostgreSQL (the one engine several nodes share here). */
export const signerLeaseProvider: Provider = {
  provide: SIGNER_LEASE,
  inject: [ACCORD_CONFIG, AppLogger],
  useFactory: (config: LoadedConfig, logger: AppLogger): SignerLease =>
    config.eventStore.kind === 'postgres'
      ? new PostgresSignerLease(config.eventStore.connectionString, logger)
      : new SoleSigner(),
};
