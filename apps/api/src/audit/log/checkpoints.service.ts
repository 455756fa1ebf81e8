import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import {
  NoteSigner,
  parseVerifierKey,
  StoredCheckpoint,
  VERIFIABLE_LOG,
  VerifiableLog,
  VerifierKey,
} from '@accord/event-store';
import { ACCORD_CONFIG, AppLogger, Clock, LoadedConfig, Metrics } from '@accord/platform';
import { loadCheckpointSigner } from './checkpoint-key';
import { SIGNER_LEASE, SignerLease } from './signer-lease';

/**
 * Signs checkpoints of the log: on a timer (ACCORD_CHECKPOINT_INTERVAL_MS) whenever the tree has grown since
 * the last one, and on demand (GET /audit/checkpoint asks for one covering the log as it is). Each is kept in
 * the event store's database (the `checkpoints` table), not appended as an event: an event would grow the
 * very log it signs, and would need a checkpoint of its own.
 *
 * With several api nodes only the holder of the signer lease signs (§38); the others answer with the newest
 * checkpoint the signer has kept.
 */
@Injectable()
export class Checkpoints implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly signer: NoteSigner;
  readonly verifierKey: VerifierKey;
  private timer: NodeJS.Timeout | undefined;
  private signing: Promise<StoredCheckpoint | undefined> | undefined;
  /** What the lease said at the last signing attempt (the gauge must not itself take the lease). */
  private signerNow = false;

  constructor(
    @Inject(VERIFIABLE_LOG) private readonly log: VerifiableLog,
    @Inject(ACCORD_CONFIG) private readonly config: LoadedConfig,
    private readonly clock: Clock,
    private readonly logger: AppLogger,
    @Inject(SIGNER_LEASE) private readonly lease: SignerLease,
    metrics: Metrics,
  ) {
    this.signer = loadCheckpointSigner(config.checkpoints, config.dataDir);
    this.verifierKey = parseVerifierKey(this.signer.verifierKey);
    metrics.gauge(
      'accord_checkpoint_signer',
      '1 while this node signs checkpoints (holds the signer lease), else 0',
      () => (this.signerNow ? 1 : 0),
    );
  }

  onApplicationBootstrap(): void {
    const every = this.config.checkpoints.intervalMs;
    if (every === 0) return;
    this.timer = setInterval(
      () => void this.signIfGrown().catch((err: unknown) => this.logger.error('checkpoint failed', { err })),
      every,
    );
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.signing?.catch(() => undefined);
    await this.lease.close();
  }

  /** The newest checkpoint, signed now if the tree has grown since (or none was ever signed). */
  async latest(): Promise<StoredCheckpoint | undefined> {
    return (await this.signIfGrown()) ?? (await this.log.latestCheckpoint());
  }

  /** One signing at a time; concurrent callers share it. */
  signIfGrown(): Promise<StoredCheckpoint | undefined> {
    this.signing ??= this.sign().finally(() => (this.signing = undefined));
    return this.signing;
  }

  private async sign(): Promise<StoredCheckpoint | undefined> {
    this.signerNow = await this.lease.holds();
    if (!this.signerNow) return undefined;
    const size = await this.log.treeSize();
    const last = await this.log.latestCheckpoint();
    if (last && last.size >= size) return last;
    const root = await this.log.rootAt(size);
    const checkpoint: StoredCheckpoint = {
      size,
      root,
      note: this.signer.signCheckpoint({ size, root }),
      signedAt: this.clock.now().toISOString(),
    };
    await this.log.saveCheckpoint(checkpoint);
    return checkpoint;
  }
}
