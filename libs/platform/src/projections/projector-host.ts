import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { EVENT_STORE, EventStore } from '@accord/event-store';
import { Projection, Projector, ProjectorLogEntry, ProjectorStatus, ReadDb } from '@accord/projections';
import { ACCORD_CONFIG, LoadedConfig } from '../config/accord-config';
import { AppLogger } from '../logging/app-logger';
import { ShutdownSequence } from '../lifecycle/shutdown-sequence';
import { Metrics } from '../metrics/metrics';
import { PROJECTIONS, PROJECTOR_AUTOSTART, READ_DB } from './projections.tokens';
import { ReadModelsLock, readModelsLockFor } from './read-models-lock';

/**
 * Owns this process's Projector over its own read.db (read models are per node). It starts once every
 * module is initialised, so the read-model tables exist before the HTTP server takes a request.
 */
@Injectable()
export class ProjectorHost implements OnApplicationBootstrap {
  readonly projector: Projector;
  private readonly log: AppLogger;
  private readonly lock: ReadModelsLock;

  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(READ_DB) db: ReadDb,
    @Inject(PROJECTIONS) projections: Projection[],
    @Inject(PROJECTOR_AUTOSTART) private readonly autoStart: boolean,
    @Inject(ACCORD_CONFIG) config: LoadedConfig,
    private readonly shutdown: ShutdownSequence,
    logger: AppLogger,
    metrics: Metrics,
  ) {
    this.log = logger.child({ context: 'Projector' });
    this.lock = readModelsLockFor(config);
    this.projector = new Projector({ store, db, projections, log: (entry) => this.write(entry) });
    metrics.gauge(
      'accord_projector_lag',
      "Store head minus the read models' position (positions are the store's).",
      async () => (await this.status()).lag,
    );
    metrics.gauge(
      'accord_projector_stalled',
      "1 while the projector's watchdog reports a stalled subscription.",
      async () => ((await this.status()).stalled ? 1 : 0),
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.autoStart) return;
    this.lock.acquire();
    this.shutdown.add('read models lock', () => this.lock.release());
    await this.projector.start();
    this.shutdown.add('projector', () => this.projector.stop());
  }

  status(): Promise<ProjectorStatus> {
    return this.projector.status();
  }

  /** Resolves once every read model includes `position`; rejects with ProjectionWaitTimeoutError. */
  waitFor(position: number, timeoutMs: number): Promise<void> {
    return this.projector.waitFor(position, timeoutMs);
  }

  private write(entry: ProjectorLogEntry): void {
    const { level, message, error, ...fields } = entry;
    this.log[level](message, error === undefined ? fields : { ...fields, err: error });
  }
}
