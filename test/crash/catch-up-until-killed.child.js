'use strict';
/* global require, process */
/* eslint-disable @typescript-eslint/no-require-imports -- a plain CommonJS script run by node, not compiled */
/**
 * Child of projector-catch-up.e2e-spec.ts: the api's Projector catching up from zero into every read model on
 * the built libraries, in small batches. Halfway through the log (its query-only indexes are then dropped,
 * waiting for the head) it prints `mid-catch-up` and blocks until the parent kills it with SIGKILL.
 *
 * argv: <built dist dir> <events.db> <read.db> <head>
 */
const [, , dist, eventsFile, readDb, head] = process.argv;
const { SqliteEventStore } = require(`${dist}/libs/event-store/src/index.js`);
const { productReadModels } = require(`${dist}/libs/platform/src/index.js`);
const { Projector } = require(`${dist}/libs/projections/src/index.js`);

const store = new SqliteEventStore({ file: eventsFile });
const projections = productReadModels();
// The audit trail applies every event: block the thread in it halfway through the log, in the middle of a
// batch, with the batches before it committed. What the parent kills is a catch-up under way.
const audit = projections.find((p) => p.handles.includes('*'));
const apply = audit.apply.bind(audit);
audit.apply = (event, db) => {
  if (event.position === Math.floor(Number(head) / 2)) {
    process.stdout.write('mid-catch-up\n');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
  }
  apply(event, db);
};
const projector = new Projector({ store, db: readDb, projections, batchSize: 7, watchdog: false });
void projector.start();
