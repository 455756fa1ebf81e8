'use strict';
/* global require, process */
/* eslint-disable @typescript-eslint/no-require-imports -- a plain CommonJS script run by node, not compiled */
/**
 * Child of read-models-rebuild.e2e-spec.ts: `accord admin rebuild`'s offline path on the built libraries, which
 * prints `mid-rebuild` once the fresh file holds its first batch (before its indexes are built and before it
 * is swapped in) and then blocks until the parent kills it with SIGKILL.
 *
 * argv: <built dist dir> <events.db> <read.db>
 */
const [, , dist, eventsFile, readDb] = process.argv;
const { SqliteEventStore } = require(`${dist}/libs/event-store/src/index.js`);
const { productReadModels } = require(`${dist}/libs/platform/src/index.js`);
const { rebuildReadModels } = require(`${dist}/libs/projections/src/index.js`);

const store = new SqliteEventStore({ file: eventsFile });
void rebuildReadModels({
  store,
  db: readDb,
  projections: productReadModels(),
  onProgress: (p) => {
    if (p.events === 0) return;
    process.stdout.write('mid-rebuild\n');
    // Block the thread in the middle of the rebuild: what the parent kills is a rebuild under way.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
  },
});
