import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The process's Prometheus registry. One per application instance rather than prom-client's global one, so
 * two apps in one test process do not collide. Labels are bounded sets (route templates, event types,
 * status codes): never ids, paths or anything about a person.
 */
@Injectable()
export class Metrics {
  readonly registry = new Registry();

  readonly httpRequestDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, route template and status.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly eventsAppended = new Counter({
    name: 'accord_events_appended_total',
    help: 'Events appended to the event store by this process (idempotent retries excluded), by type.',
    labelNames: ['type'] as const,
    registers: [this.registry],
  });

  readonly abuseRefusals = new Counter({
    name: 'accord_abuse_refusals_total',
    help: 'Requests refused by throttling or quotas, by reason (auth-throttled, upload-quota, upload-concurrency, idempotency-key-reused, hostile-input).',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** A gauge read at scrape time, for values another component owns (projector lag, queue depth). */
  gauge(name: string, help: string, read: () => Promise<number | undefined> | number | undefined): Gauge {
    return new Gauge({
      name,
      help,
      registers: [this.registry],
      async collect() {
        const v = await read();
        if (v !== undefined) this.set(v);
      },
    });
  }

  contentType(): string {
    return this.registry.contentType;
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}
