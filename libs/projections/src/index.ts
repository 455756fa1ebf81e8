export * from './projection';
export * from './errors';
export * from './read-db';
export { readCheckpoints } from './checkpoint.table';
export * from './projector';
export * from './projector.types';
export { rebuildReadModels } from './rebuild';
export type { RebuildOptions, RebuildProgress, RebuildResult } from './rebuild';
export * from './stream-heads.projection';
