import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { EVENT_STORE, EventStore } from '@accord/event-store';
import {
  ACCORD_CONFIG,
  AppLogger,
  HealthService,
  LoadedConfig,
  Metrics,
  READ_DB,
  ShutdownSequence,
} from '@accord/platform';
import { incidentDetectorProjection, Projector, ProjectorLogEntry, ReadDb } from '@accord/projections';
import { IncidentRaiser } from './incident-raiser';

/** A safety net for raises that failed (store briefly unavailable); new detections raise at once. */
const RETRY_INTERVAL_MS = 5_000;
/**
 * No answer waits for the detector, so it pauses this long before each delivery and takes what arrived
 * meanwhile as one read and one transaction: a burst of shares or opens then commits read.db once per
 * window for it, not once per delivery (docs/architecture.md §37.11).
 */
const GATHER_MS = 100;

/**
 * Runs the detection rules as events arrive: a projector of its own over this node's read.db, so the
 * detector's state and outbox commit with its checkpoint and survive restarts, while `accord admin rebuild`
 * of the read models leaves it alone. Detection runs on event time, so a replay finds the same incidents
 * and the raiser's deterministic ids keep them single.
 */
@Injectable()
export class IncidentDetectorHost implements OnApplicationBootstrap {
  readonly projector: Projector;
  private timer: NodeJS.Timeout | undefined;
  private readonly log: AppLogger;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_DB) db: ReadDb,
    @Inject(ACCORD_CONFIG) config: LoadedConfig,
    private readonly raiser: IncidentRaiser,
    private readonly shutdown: ShutdownSequence,
    logger: AppLogger,
    metrics: Metrics,
    health: HealthService,
  ) {
    this.log = logger.child({ context: 'IncidentDetector' });
    metrics.gauge(
      'accord_incident_detector_lag',
      "Store head minus the incident detector's position: events not yet through the detection rules.",
      async () => (await this.projector.status()).lag,
    );
    const projection = incidentDetectorProjection(config.detection, () => this.raiser.drainInBackground());
    this.projector = new Projector({
      store,
      db,
      projections: [projection],
      gatherMs: GATHER_MS,
      log: (e) => this.write(e),
    });
    // A detector that stopped or fell behind is a monitoring gap: the node says so rather than look fine.
    health.register('incidentDetector', async () => {
      const s = await this.projector.status();
      const ok = s.running && !s.stalled && s.failing === undefined;
      return { ok, running: s.running, position: s.position, lag: s.lag, stalled: s.stalled };
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.projector.start();
    this.timer = setInterval(() => this.raiser.drainInBackground(), RETRY_INTERVAL_MS);
    this.timer.unref();
    // Incidents found before a crash and not yet raised go out now.
    this.raiser.drainInBackground();
    this.shutdown.add('incident detector', async () => {
      clearInterval(this.timer);
      await this.projector.stop();
      await this.raiser.whenIdle();
    });
  }

  /** Resolves once every event up to the store's head has been through the rules and raised (tests, CLI). */
  async settle(timeoutMs = 10_000): Promise<void> {
    await this.projector.waitFor(await this.store.headPosition(), timeoutMs);
    await this.raiser.drain();
  }

  private write(entry: ProjectorLogEntry): void {
    const { level, message, error, ...fields } = entry;
    this.log[level](message, error === undefined ? fields : { ...fields, err: error });
  }
}
