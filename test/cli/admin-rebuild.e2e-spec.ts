import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteEventStore, uuidv7 } from '@accord/event-store';
import { productReadModels } from '@accord/platform';
import { builtEntry, ROOT } from '../api/support/built-apps';

const ACCORD = join(ROOT, 'bin', 'accord');
const STREAMS = 3;
const EVENTS_PER_STREAM = 4;

describe('accord admin rebuild (embedded DATA_DIR)', () => {
  let dataDir: string;

  beforeAll(() => {
    builtEntry('cli');
  });

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'accord-cli-'));
    const store = new SqliteEventStore({ file: join(dataDir, 'events.db') });
    const meta = { occurredAt: '2026-11-23T10:00:00.000Z', actor: { system: 'test' }, correlationId: 'seed' };
    for (let s = 0; s < STREAMS; s++) {
      const events = Array.from({ length: EVENTS_PER_STREAM }, (_, i) => ({
        eventId: uuidv7(),
        type: 'Seeded',
        data: { i },
        meta,
      }));
      await store.append(`organisation-o${s}`, events, 'no-stream');
    }
    await store.close();
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  const accord = (...args: string[]) =>
    spawnSync(process.execPath, [ACCORD, ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir },
      encoding: 'utf8',
    });

  function readModel(): {
    heads: { stream_id: string; event_count: number }[];
    checkpoints: { position: number }[];
  } {
    const db = new Database(join(dataDir, 'read.db'), { readonly: true });
    try {
      return {
        heads: db
          .prepare('SELECT stream_id, event_count FROM stream_heads ORDER BY stream_id')
          .all() as never,
        checkpoints: db.prepare('SELECT position FROM projection_checkpoints').all() as never,
      };
    } finally {
      db.close();
    }
  }

  it('replays every event into the read models, with progress on stderr and a summary on stdout', () => {
    const r = accord('admin', 'rebuild');
    expect(r.stderr).toMatch(/^rebuilding read models: \d+ events, position \d+ of 12 \(\d+%\)$/m);
    const models = productReadModels().length;
    expect(r.stdout).toMatch(
      new RegExp(`^rebuilt ${models} read models from 12 events \\(position 12\\) in [\\d.]+ s\n$`),
    );
    expect(r.status).toBe(0);
    const { heads, checkpoints } = readModel();
    expect(heads).toEqual(
      [0, 1, 2].map((s) => ({ stream_id: `organisation-o${s}`, event_count: EVENTS_PER_STREAM })),
    );
    expect(checkpoints).toEqual(
      Array.from({ length: models }, () => ({ position: STREAMS * EVENTS_PER_STREAM })),
    );
  });

  it('a damaged read model is dropped and rebuilt from the events, not patched', () => {
    expect(accord('admin', 'rebuild').status).toBe(0);
    const db = new Database(join(dataDir, 'read.db'));
    db.prepare("UPDATE stream_heads SET event_count = 99 WHERE stream_id = 'organisation-o1'").run();
    db.prepare("DELETE FROM stream_heads WHERE stream_id = 'organisation-o2'").run();
    db.close();
    expect(accord('admin', 'rebuild').status).toBe(0);
    expect(readModel().heads.map((h) => h.event_count)).toEqual([4, 4, 4]);
  });

  it('refuses, in one line, while another live process projects into the same read.db', () => {
    // This test process is alive and is not the CLI: it stands in for a running api.
    writeFileSync(join(dataDir, 'projector.pid'), `${process.pid}\n`);
    const r = accord('admin', 'rebuild');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      new RegExp(`^accord: the read models in .* are in use by process ${process.pid} .*\\n$`),
    );
    expect(r.stdout).toBe('');
  });

  it('a bad configuration is one line and exit code 1', () => {
    const r = spawnSync(process.execPath, [ACCORD, 'admin', 'rebuild'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir, LOG_LEVEL: 'chatty' },
      encoding: 'utf8',
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^accord: invalid configuration: LOG_LEVEL must be one of .*\n$/);
  });

  it('accord --version prints the package version', () => {
    const r = accord('--version');
    expect(r.status).toBe(0);
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(r.stdout).toBe(`${version}\n`);
  });
});
