import type { EventStore } from '@accord/event-store';
import { BatchApplier } from './batch-applier';
import type { Projection, ReadDb } from './projection';
import { openReadDb } from './read-db';

export interface RebuildProgress {
  /** Events read from the log so far. */
  events: number;
  /** Global position reached. */
  position: number;
  /** The log's head when the rebuild began (positions need not be dense: KurrentDB's are byte offsets). */
  head: number;
}

export interface RebuildResult {
  events: number;
  position: number;
}

export interface RebuildOptions {
  store: EventStore;
  /** An open read.db, or its path (opened and closed here). */
  db: ReadDb | string;
  projections: readonly Projection[];
  onProgress?: (progress: RebuildProgress) => void;
}

/**
 * Drops every read model and replays the whole log into it: `accord admin rebuild` and tests. Each page
 * commits with its checkpoints, so an interrupted rebuild is resumed by the next projector start rather
 * than left half-built.
 */
export async function rebuildReadModels(options: RebuildOptions): Promise<RebuildResult> {
  const owned = typeof options.db === 'string';
  const db = typeof options.db === 'string' ? openReadDb(options.db) : options.db;
  try {
    return await replayFromZero(new BatchApplier(db, options.projections), options.store, options.onProgress);
  } finally {
    if (owned) db.close();
  }
}

export async function replayFromZero(
  applier: BatchApplier,
  store: EventStore,
  onProgress?: (progress: RebuildProgress) => void,
  signal?: AbortSignal,
): Promise<RebuildResult> {
  const head = await store.headPosition();
  applier.resetAll();
  let events = 0;
  let position = 0;
  onProgress?.({ events, position, head });
  for await (const page of store.readAll({ after: 0 })) {
    // Stopping mid-rebuild is safe: what is committed carries its checkpoints and the next start resumes.
    if (signal?.aborted) break;
    if (page.length === 0) continue;
    applier.applyBatch(page);
    events += page.length;
    position = page[page.length - 1]!.position;
    onProgress?.({ events, position, head });
  }
  return { events, position };
}
