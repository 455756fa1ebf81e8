/** The read models this process projects (a Projection[]); see read-models.ts. */
export const PROJECTIONS = Symbol('PROJECTIONS');
/** The node's read.db connection, shared by the projector and the queries (better-sqlite3 is synchronous). */
export const READ_DB = Symbol('READ_DB');
export const PROJECTOR_AUTOSTART = Symbol('PROJECTOR_AUTOSTART');
