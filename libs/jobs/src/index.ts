export * from './scheduler.port';
export * from './errors';
export type { ResolvedJobOptions } from './job-validation';
export {
  DEFAULT_JOB_OPTIONS,
  assertJobId,
  assertJobName,
  checkedJobData,
  backoffDelay,
} from './job-validation';
export type { SchedulerLogger } from './job-registry';
export { consoleSchedulerLogger, silentSchedulerLogger } from './job-registry';
export * from './adapters/in-process/in-process.scheduler';
export * from './adapters/bullmq/bullmq.scheduler';
export * from './adapters/bullmq/bullmq.config';
export { bullmqRedisOptions } from './adapters/bullmq/bullmq.connection';
export { encodeJobId, decodeJobId } from './adapters/bullmq/bullmq.job-id';
