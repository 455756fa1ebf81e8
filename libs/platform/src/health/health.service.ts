import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, EventStore, EventStoreHealth } from '@accord/event-store';
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
    objectStore: EventStoreHealth | PortState;
    scheduler: EventStoreHealth | PortState;
  };
}

/**
 * The node's view of its ports. Degraded when the event store fails its check or the read models cannot
 * keep up (stalled, stopped, or a projection failing): either way writes or reads are not to be trusted.
 */
@Injectable()
export class HealthService {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly projector: ProjectorHost,
  ) {}

  async check(): Promise<HealthReport> {
    const [eventStore, status] = await Promise.all([this.storeHealth(), this.projector.status()]);
    const readModels: ReadModelsHealth = {
      running: status.running,
      position: status.position,
      head: status.head,
      lag: status.lag,
      stalled: status.stalled,
      restarts: status.restarts,
      ...(status.failing ? { failing: status.failing } : {}),
    };
    const ok = eventStore.ok && status.running && !status.stalled && status.failing === undefined;
    return {
      status: ok ? 'ok' : 'degraded',
      // Object store and scheduler ports arrive with their issues; until then they say so.
      ports: { eventStore, readModels, objectStore: 'not-configured', scheduler: 'not-configured' },
    };
  }

  private async storeHealth(): Promise<EventStoreHealth> {
    try {
      return await this.store.health();
    } catch {
      return { ok: false, adapter: this.store.adapter, detail: 'health check failed' };
    }
  }
}
