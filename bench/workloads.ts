import { auditHistoryQuery } from './audit-history.bench';
import { auditLogPhases } from './audit-log.bench';
import { auditReplay } from './audit-replay.bench';
import { auditVerify } from './audit-verify.bench';
import { chainVerify } from './chain-verify.bench';
import { cluster } from './cluster.bench';
import { concurrentWriters } from './concurrent-writers.bench';
import { openDocuments } from './open.bench';
import { eventStoreAppend } from './event-store-append.bench';
import { framework } from './framework.bench';
import { Phase, Workload } from './harness';
import { postgresEventStore } from './postgres-event-store.bench';
import { projectionReplay } from './projection-replay.bench';
import { retentionSweep } from './retention-sweep.bench';
import { share } from './share.bench';
import { shareLarge } from './share-large.bench';
import { sharedStorePhases } from './shared-store';

/** In report order; `npm run bench -- <name>...` picks some of them by name. */
export const workloads: Workload[] = [
  eventStoreAppend,
  projectionReplay,
  chainVerify,
  concurrentWriters,
  postgresEventStore,
  auditReplay,
  auditHistoryQuery,
  auditVerify,
  share,
  shareLarge,
  retentionSweep,
  openDocuments,
  framework,
  cluster,
];

/** Every phase a child process may be asked to run, by workload name. */
export const phaseRegistry: Record<string, Record<string, Phase>> = {
  'shared-store': sharedStorePhases,
  'audit-log': auditLogPhases,
  ...Object.fromEntries(workloads.map((w) => [w.name, w.phases])),
};
