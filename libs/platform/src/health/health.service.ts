import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, EventStore, EventStoreHealth } from '@accord/event-store';
import { SCHEDULER, Scheduler, SchedulerHealth } from '@accord/jobs';
import { OBJECT_STORE, ObjectStore, ObjectStoreHealth } from '@accord/object-store';
import { ProjectorHost } from '../projections/projector-host';

export type PortState = 'not-configured';

export interface ReadModelsHealth {
  running: boolean;
  position: number;
  head: number;
  lag: number;
  stalled: boolean;
  restarts: number;
  failing?: { projection: string; position: number; attempts: number };
}

/** A part of the product a feature runs in this process (the incident detector), as it reports itself. */
export type ComponentHealth = { ok: boolean; detail?: string } & Record<string, string | number | boolean>;

export interface HealthReport {
  status: 'ok' | 'degraded';
  ports: {
    eventStore: EventStoreHealth;
    readModels: ReadModelsHealth;
    objectStore: ObjectStoreHealth;
    scheduler: SchedulerHealth;
  };
  /** Only where a feature registered one; any not ok makes the node degraded. */
  components?: Record<string, ComponentHealth>;
}

/** Why a node is not ready for traffic: one short, stable token per failed check. */
export type NotReadyReason =
  | 'event-store'
  | 'object-store'
  | 'scheduler'
  | 'read-models-stopped'
  | 'read-models-stalled'
  | 'read-models-failing'
  | 'read-models-behind'
  | `component:${string}`;

export interface Readiness {
  ready: boolean;
  reasons: NotReadyReason[];
  readModels: { position: number; head: number; lag: number; maxLag: number };
}

/**
 * An orchestrator's readiness: every check of /health, and the read models no further behind the store's head
 * than `maxLag` positions (so a node that is replaying after a restart takes no traffic yet). Liveness asks
 * nothing of the ports: restarting a process because Redis is away would not bring Redis back.
 */
export function readinessOf(report: HealthReport, maxLag: number): Readiness {
  const { eventStore, objectStore, scheduler, readModels } = report.ports;
  const reasons: NotReadyReason[] = [];
  if (!eventStore.ok) reasons.push('event-store');
  if (!objectStore.ok) reasons.push('object-store');
  if (!scheduler.ok && scheduler.state !== 'created') reasons.push('scheduler');
  if (!readModels.running) reasons.push('read-models-stopped');
  if (readModels.stalled) reasons.push('read-models-stalled');
  if (readModels.failing !== undefined) reasons.push('read-models-failing');
  if (readModels.lag > maxLag) reasons.push('read-models-behind');
  for (const [name, c] of Object.entries(report.components ?? {}))
    if (!c.ok) reasons.push(`component:${name}`);
  const { position, head, lag } = readModels;
  return { ready: reasons.length === 0, reasons, readModels: { position, head, lag, maxLag } };
}

/**
 * The node's view of its ports. Degraded when the event store or the object store fails its check, or the
 * read models cannot keep up (stalled, stopped, or a projection failing): either way writes or reads are
 * not to be trusted. Also when a started scheduler is down (BullMQ without Redis): jobs then only wait.
 */
@Injectable()
export class HealthService {
  private readonly components = new Map<string, () => Promise<ComponentHealth>>();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(OBJECT_STORE) private readonly objects: ObjectStore,
    private readonly projector: ProjectorHost,
    @Inject(SCHEDULER) private readonly scheduler: Scheduler,
  ) {}

  /** A feature's own check, reported under `components.<name>`. */
  register(name: string, check: () => Promise<ComponentHealth>): void {
    this.components.set(name, check);
  }

  async check(): Promise<HealthReport> {
    const [eventStore, objectStore, status, scheduler] = await Promise.all([
      this.storeHealth(),
      this.objectStoreHealth(),
      this.projector.status(),
      this.schedulerHealth(),
    ]);
    const readModels: ReadModelsHealth = {
      running: status.running,
      position: status.position,
      head: status.head,
      lag: status.lag,
      stalled: status.stalled,
      restarts: status.restarts,
      ...(status.failing ? { failing: status.failing } : {}),
    };
    // A scheduler this process never started (one that runs no jobs) is not a fault; a started one that
    // cannot reach Redis is: destructions wait until it can.
    const schedulerOk = scheduler.ok || scheduler.state === 'created';
    const ok =
      eventStore.ok &&
      objectStore.ok &&
      schedulerOk &&
      status.running &&
      !status.stalled &&
      status.failing === undefined;
    const components = await this.componentHealth();
    const componentsOk = Object.values(components).every((c) => c.ok);
    return {
      status: ok && componentsOk ? 'ok' : 'degraded',
      ports: { eventStore, readModels, objectStore, scheduler },
      ...(this.components.size > 0 ? { components } : {}),
    };
  }

  private async componentHealth(): Promise<Record<string, ComponentHealth>> {
    const entries = await Promise.all(
      [...this.components].map(async ([name, check]): Promise<[string, ComponentHealth]> => {
        try {
          return [name, await check()];
        } catch {
          return [name, { ok: false, detail: 'health check failed' }];
        }
      }),
    );
    return Object.fromEntries(entries);
  }

  private async objectStoreHealth(): Promise<ObjectStoreHealth> {
    try {
      return await this.objects.health();
    } catch {
      return {
        ok: false,
        adapter: this.objects.adapter,
        region: this.objects.region,
        detail: 'health check failed',
      };
    }
  }

  private async schedulerHealth(): Promise<SchedulerHealth> {
    try {
      return await this.scheduler.health();
    } catch {
      return { ok: false, adapter: this.scheduler.adapter, state: 'running', detail: 'health check failed' };
    }
  }

  private async storeHealth(): Promise<EventStoreHealth> {
    try {
      return await this.store.health();
    } catch {
      return { ok: false, adapter: this.store.adapter, detail: 'health check failed' };
    }
  }
}
