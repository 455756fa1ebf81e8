import { Redis, RedisOptions } from 'ioredis';

/**
 * ioredis as BullMQ needs it. maxRetriesPerRequest null: a Worker's blocking commands must wait out an
 * outage rather than fail after 20 retries (BullMQ refuses anything else for workers; docs/architecture.md
 * §18.5), and the offline queue keeps an enqueue made during an outage until Redis is back. Reconnection
 * never gives up, so jobs resume on their own once Redis returns.
 */
export function bullmqRedisOptions(maxReconnectDelayMs = 2000): RedisOptions {
  return {
    maxRetriesPerRequest: null,
    enableOfflineQueue: true,
    connectionName: 'accord-jobs',
    // How long a dropped connection's socket may linger; ioredis keeps a timer (and the process) that long.
    disconnectTimeout: 500,
    retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 10), maxReconnectDelayMs),
  };
}

/**
 * Remembers the copies BullMQ makes for its workers' blocking commands. During an outage a Worker's own
 * close() waits for its copy to come up, forever; cutting the copies is what lets stop() finish and the
 * process exit (an ioredis reconnect timer would otherwise hold it open).
 */
export class TrackedRedis extends Redis {
  private readonly copies = new Set<Redis>();

  override duplicate(override?: Partial<RedisOptions>): Redis {
    const copy = super.duplicate(override);
    this.copies.add(copy);
    copy.once('end', () => this.copies.delete(copy));
    return copy;
  }

  /** Drops this connection and every copy at once, failing whatever still waits on them. */
  disconnectAll(): void {
    for (const copy of this.copies) copy.disconnect();
    this.copies.clear();
    this.disconnect();
  }
}
