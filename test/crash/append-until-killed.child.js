'use strict';
/* global require, process */
/* eslint-disable @typescript-eslint/no-require-imports -- a plain CommonJS script run by node, not compiled */
/**
 * Child of event-store-crash.e2e-spec.ts: appends to an event store until it is killed, printing one line per
 * append only after the append's promise has resolved, i.e. once the append is durable (on SQLite, after the
 * WAL sync that covers its COMMIT, docs/architecture.md §37.4). Plain Node on the built adapter, so what is
 * killed is what ships.
 *
 * argv: <built event-store lib dir> <adapter: sqlite | postgres | kurrentdb> <database file | PostgreSQL URL |
 * KurrentDB URL> [stream prefix, default `crash-`: on a KurrentDB server that outlives the test, each run of the
 * suite takes its own prefix, and the store's $all filter is that prefix]
 */
const [, , libDir, adapter, target, prefix = 'crash-'] = process.argv;
const { uuidv7 } = require(`${libDir}/ids.js`);
const OPEN = {
  sqlite: () =>
    new (require(`${libDir}/adapters/sqlite/sqlite.event-store.js`).SqliteEventStore)({ file: target }),
  postgres: () =>
    new (require(`${libDir}/adapters/postgres/postgres.event-store.js`).PostgresEventStore)({
      connectionString: target,
    }),
  kurrentdb: () =>
    new (require(`${libDir}/adapters/kurrentdb/kurrentdb.event-store.js`).KurrentDbEventStore)({
      connectionString: target,
      streamPrefixFilter: [prefix],
    }),
};

/** Own-stream writers check a numeric expected revision; the shared-stream pair races with 'any'. */
const OWN_STREAM_WRITERS = 6;
const SHARED_STREAM_WRITERS = 2;

function makeEvents(n, i) {
  const at = new Date().toISOString();
  return Array.from({ length: n }, (_, k) => ({
    eventId: uuidv7(),
    type: 'CrashTested',
    data: { i, k, pid: process.pid, note: 'survives a SIGKILL' },
    meta: { occurredAt: at, actor: { system: 'crash-test' }, correlationId: uuidv7() },
  }));
}

async function write(store, stream, numeric) {
  // The first append of a run says 'any': the stream's head is whatever the last killed run left.
  let expected = 'any';
  for (let i = 0; ; i++) {
    const events = makeEvents(1 + (i % 4), i);
    const r = await store.append(stream, events, expected);
    if (numeric) expected = r.nextExpectedRevision;
    process.stdout.write(
      JSON.stringify({
        s: stream,
        ids: events.map((e) => e.eventId),
        p: r.position,
        r: r.nextExpectedRevision,
      }) + '\n',
    );
  }
}

const store = OPEN[adapter]();
const writers = [];
for (let w = 0; w < OWN_STREAM_WRITERS; w++) writers.push(write(store, `${prefix}own-${w}`, true));
for (let w = 0; w < SHARED_STREAM_WRITERS; w++) writers.push(write(store, `${prefix}shared`, false));
Promise.all(writers).catch((error) => {
  process.stderr.write(`${error && error.stack ? error.stack : String(error)}\n`);
  process.exit(1);
});
