import type { HealthReport } from './health.service';
import { readinessOf } from './health.service';

const healthy = (): HealthReport => ({
  status: 'ok',
  ports: {
    eventStore: { ok: true, adapter: 'sqlite', head: 120 },
    readModels: { running: true, position: 100, head: 120, lag: 20, stalled: false, restarts: 0 },
    objectStore: { ok: true, adapter: 'filesystem', region: 'uk' },
    scheduler: { ok: true, adapter: 'in-process', state: 'running' },
  },
});

describe('readiness', () => {
  it('is ready when every port is healthy and the read models are within the bound', () => {
    expect(readinessOf(healthy(), 20)).toEqual({
      ready: true,
      reasons: [],
      readModels: { position: 100, head: 120, lag: 20, maxLag: 20 },
    });
  });

  it('is not ready while the read models are further behind the head than the bound', () => {
    expect(readinessOf(healthy(), 19)).toMatchObject({ ready: false, reasons: ['read-models-behind'] });
  });

  it('names every failed check: a port down, a stopped projector, a failing component', () => {
    const report = healthy();
    report.ports.objectStore = { ok: false, adapter: 'filesystem', region: 'uk', detail: 'not writable' };
    report.ports.readModels = { ...report.ports.readModels, running: false, stalled: true };
    report.components = { incidentDetector: { ok: false } };
    expect(readinessOf(report, 1000).reasons).toEqual([
      'object-store',
      'read-models-stopped',
      'read-models-stalled',
      'component:incidentDetector',
    ]);
  });

  it('does not hold a never-started scheduler against the node, but does a started one that is down', () => {
    const report = healthy();
    report.ports.scheduler = { ok: false, adapter: 'bullmq', state: 'created' };
    expect(readinessOf(report, 1000).ready).toBe(true);
    report.ports.scheduler = { ok: false, adapter: 'bullmq', state: 'running', detail: 'redis down' };
    expect(readinessOf(report, 1000).reasons).toEqual(['scheduler']);
  });
});
