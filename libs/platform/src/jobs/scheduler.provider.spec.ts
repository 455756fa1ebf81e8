import { silentSchedulerLogger } from '@accord/jobs';
import { ConfigError } from '../config/accord-config';
import { parseConfig } from '../config/parse-config';
import { createScheduler } from './scheduler.provider';

describe('scheduler binding and retention configuration', () => {
  it('binds the in-process scheduler without REDIS_URL and BullMQ with it', async () => {
    const embedded = createScheduler(parseConfig({}, '/srv').scheduler, silentSchedulerLogger);
    expect(embedded.adapter).toBe('in-process');
    await embedded.stop();
    const cluster = createScheduler(
      parseConfig({ REDIS_URL: 'redis://127.0.0.1:1' }, '/srv').scheduler,
      silentSchedulerLogger,
    );
    expect(cluster.adapter).toBe('bullmq');
    await cluster.stop({ timeoutMs: 1000 });
  });

  it('sweeps for due retention every 60 s unless RETENTION_SWEEP_INTERVAL_MS says otherwise', () => {
    expect(parseConfig({}, '/srv').retention).toEqual({ sweepIntervalMs: 60_000 });
    expect(parseConfig({ RETENTION_SWEEP_INTERVAL_MS: '250' }, '/srv').retention).toEqual({
      sweepIntervalMs: 250,
    });
  });

  it.each(['0', '99', '86400001', '1m', '-5'])('refuses RETENTION_SWEEP_INTERVAL_MS=%s', (value) => {
    expect(() => parseConfig({ RETENTION_SWEEP_INTERVAL_MS: value }, '/srv')).toThrow(ConfigError);
  });
});
