import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, EventStore, EventStoreHealth } from '@accord/event-store';
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

export interface HealthReport {
  status: 'ok' | 'degraded';
  ports: {
    eventStore: EventStoreHealth;
    readModels: ReadModelsHealth;
    objectStore: ObjectStoreHealth;
    scheduler: EventStoreHealth | PortState;
  };
}

/**
 * The node's view of its ports. Degraded when the event store or the object store fails its check, or the
 * read models cannot keep up (stalled, stopped, or a projection failing): either way writes or reads are
 * not to be trusted.
 */
@Injectable()
export class HealthService {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(OBJECT_STORE) private readonly objects: ObjectStore,
    private readonly projector: ProjectorHost,
  ) {}

  async check(): Promise<HealthReport> {
    const [eventStore, objectStore, status] = await Promise.all([
      this.storeHealth(),
      this.objectStoreHealth(),
      this.projector.status(),
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
    const ok =
      eventStore.ok && objectStore.ok && status.running && !status.stalled && status.failing === undefined;
    return {
      status: ok ? 'ok' : 'degraded',
      // The scheduler port arrives with its issue; until then it says so.
      ports: { eventStore, readModels, objectStore, scheduler: 'not-configured' },
    };
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

  private async storeHealth(): Promise<EventStoreHealth> {
    try {
      return await this.store.health();
    } catch {
      return { ok: false, adapter: this.store.adapter, detail: 'health check failed' };
    }
  }
}
