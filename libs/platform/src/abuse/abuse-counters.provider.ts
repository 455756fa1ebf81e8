import { Provider } from '@nestjs/common';
import { ACCORD_CONFIG, LoadedConfig } from '../config/accord-config';
import { ShutdownSequence } from '../lifecycle/shutdown-sequence';
import { ABUSE_COUNTERS, AbuseCounters, InMemoryAbuseCounters } from './abuse-counters';
import { RedisAbuseCounters } from './redis-abuse-counters';

/** In memory by default; in Redis when REDIS_URL is set, the same Redis the scheduler uses (§38). */
export const abuseCountersProvider: Provider = {
  provide: ABUSE_COUNTERS,
  inject: [ACCORD_CONFIG, ShutdownSequence],
  useFactory: (config: LoadedConfig, shutdown: ShutdownSequence): AbuseCounters => {
    if (config.scheduler.kind !== 'bullmq') return new InMemoryAbuseCounters();
    const counters = RedisAbuseCounters.connect(config.scheduler.redisUrl);
    shutdown.add('abuse counters', () => counters.close());
    return counters;
  },
};
