import { SchedulerLogger } from '../../job-registry';
import { BullmqScheduler } from './bullmq.scheduler';

export interface BullmqSettings {
  /** `redis://` or `rediss://` (REDIS_URL, validated by the platform config). */
  redisUrl: string;
  /** Key namespace (`<prefix>:<job name>:...`), so environments can share one Redis; default `accord`. */
  prefix?: string;
  logger?: SchedulerLogger;
  /** Longest wait between reconnection attempts; default 2000 ms. */
  maxReconnectDelayMs?: number;
  /**
   * A job's lock, renewed while it runs; default 30,000 ms (BullMQ's). A worker that dies holding jobs
   * leaves them locked this long, then the stalled-job check (at the same interval) runs them again.
   */
  lockMs?: number;
}

/** The scheduler for REDIS_URL. It owns its Redis connections and closes them at stop(). */
export function createBullmqScheduler(settings: BullmqSettings): BullmqScheduler {
  return new BullmqScheduler(settings);
}
