import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { documentStreamId } from '@accord/domain';
import { HOSPITAL, POLICE } from '../documents/support/documents-partnership';
import { accord, CliRun, ensureBuiltCli } from '../cli-documents/support/accord-cli';
import { AuditScenario, buildAuditScenario, NHS_NUMBER, objectFilePath } from './support/audit-scenario';

const HEADER_BYTES = 512;

/** Export, offline verification, and tampering with a stored event and a stored object. */
describe('audit: the record is provably untampered', () => {
  let s: AuditScenario;
  let dir: string;
  let full: string;

  /** `accord` as the platform auditor against the running api. */
  const asAuditor = (args: string[]): Promise<CliRun> =>
    accord({ url: s.world.url, token: s.platformAuditor.token!, keyring: dir }, args);
  /** `accord` with no server to reach and no token: what an outside auditor has. */
  const offline = (args: string[]): Promise<CliRun> =>
    accord({ url: 'http://127.0.0.1:9', token: '', keyring: dir }, args);

  beforeAll(async () => {
    ensureBuiltCli();
    s = await buildAuditScenario();
    dir = mkdtempSync(join(tmpdir(), 'accord-audit-'));
    full = join(dir, 'full.ndjson');
  });
  afterAll(async () => {
    await s?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('accord audit export writes every event as a self-contained line after one stating its scope, with a progress bar', async () => {
    const run = await asAuditor(['audit', 'export', '--out', full, '--progress']);
    expect(run).toMatchObject({ code: 0 });
    expect(run.stderr).toMatch(/export {2}\[#+\] 100% {3}/);
    const head = await s.store.headPosition();
    // The first line states what the export is; every other is an event.
    const [header, ...lines] = readFileSync(full, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(header).toEqual({ accordAuditExport: { scope: 'platform', after: 0, logHead: head } });
    expect(lines.map((l) => l.position)).toEqual(Array.from({ length: head }, (_, i) => i + 1));
    expect(Object.keys(lines[0])).toEqual([
      'eventId',
      'type',
      'streamId',
      'revision',
      'position',
      'data',
      'meta',
    ]);
    expect(run.stdout).toContain(`${head} events written`);
  });

  it('accord audit verify --file re-checks every chain offline, with no server and no token', async () => {
    const run = await offline(['audit', 'verify', '--file', full, '--complete']);
    expect(run).toMatchObject({ code: 0 });
    expect(run.stdout).toContain(`${await s.store.headPosition()} events`);
    expect(run.stdout).toContain('ok: every chain in the file verifies');
  });

  it('a tampered copy fails with --complete and says in words what is wrong: a line reordered, removed, changed or repeated', async () => {
    const lines = readFileSync(full, 'utf8').trimEnd().split('\n');
    const events = lines.map((l) => JSON.parse(l) as { streamId: string; revision: number });
    // A line from the middle whose stream goes on after it, so its removal leaves a hole in that chain.
    const gone = events.findIndex(
      (e, i) =>
        i >= lines.length / 2 &&
        e.revision > 0 &&
        events.slice(i + 1).some((later) => later.streamId === e.streamId),
    );
    expect(gone).toBeGreaterThan(0);
    const copies: [string, string[], RegExp][] = [
      [
        'reordered',
        [...lines.slice(0, gone), lines[gone + 1]!, lines[gone]!, ...lines.slice(gone + 2)],
        /line \d+ is out of order or repeated/,
      ],
      [
        'removed',
        [...lines.slice(0, gone), ...lines.slice(gone + 1)],
        new RegExp(
          `stream ${events[gone]!.streamId} goes from revision ${events[gone]!.revision - 1} to ${events[gone]!.revision + 1}`,
        ),
      ],
      [
        'changed',
        lines.map((l, i) =>
          i === gone ? l.replace(/"occurredAt":"(\d{4})/, (_m, y) => `"occurredAt":"${Number(y) - 1}`) : l,
        ),
        new RegExp(`line ${gone + 1} was changed: its hash does not match its contents`),
      ],
      [
        'repeated',
        [...lines.slice(0, gone + 1), lines[gone]!, ...lines.slice(gone + 1)],
        /line \d+ is out of order or repeated/,
      ],
    ];
    for (const [name, copy, words] of copies) {
      const file = join(dir, `${name}.ndjson`);
      writeFileSync(file, `${copy.join('\n')}\n`);
      const run = await offline(['audit', 'verify', '--file', file, '--complete']);
      expect({ name, code: run.code, words: words.test(run.stdout) }).toEqual({ name, code: 1, words: true });
      expect(run.stderr).toContain(`verification of ${file} failed`);
    }
  });

  it('an export started after a position verifies, naming the streams it continues half-way', async () => {
    const part = join(dir, 'part.ndjson');
    const after = Math.floor((await s.store.headPosition()) / 2);
    expect((await asAuditor(['audit', 'export', '--after', String(after), '--out', part])).code).toBe(0);
    const run = await offline(['audit', 'verify', '--file', part, '--json']);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({ ok: true });
    expect(result.continuedStreams).toBeGreaterThan(0);
    expect(result.continued[0]).toMatchObject({ prevHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect((await offline(['audit', 'verify', '--file', part, '--complete'])).code).toBe(1);
  });

  it('--resume finishes an interrupted export: the file ends up the same as one made in one go', async () => {
    const cut = join(dir, 'resumed.ndjson');
    const text = readFileSync(full, 'utf8');
    writeFileSync(cut, text.slice(0, Math.floor(text.length / 2)));
    expect((await asAuditor(['audit', 'export', '--resume', '--out', cut])).code).toBe(0);
    expect(readFileSync(cut, 'utf8')).toBe(text);
  });

  it('one byte of a stored event changed in SQLite: GET /audit/verify and the offline check both name it', async () => {
    const db = new Database(join(s.world.api.config.dataDir, 'events.db'));
    try {
      const row = db
        .prepare(
          `SELECT position, revision, data FROM events WHERE stream_id = ? AND type = 'DocumentAccessed'`,
        )
        .get(documentStreamId(s.toPolice)) as { position: number; revision: number; data: string };
      expect(row.data).toContain('"GB"');
      db.prepare('UPDATE events SET data = ? WHERE position = ?').run(
        row.data.replace('"GB"', '"GC"'),
        row.position,
      );
      const named = {
        streamId: documentStreamId(s.toPolice),
        revision: row.revision,
        position: row.position,
      };
      const report = await s.platformAuditor.ok('GET', '/audit/verify', 200);
      expect(report.body).toMatchObject({ ok: false, firstBadEvent: { ...named, reason: 'hash-mismatch' } });
      expect(report.body.eventsChecked).toBe(await s.store.headPosition());

      const tampered = join(dir, 'tampered.ndjson');
      expect((await asAuditor(['audit', 'export', '--out', tampered])).code).toBe(0);
      const run = await offline(['audit', 'verify', '--file', tampered, '--json']);
      expect(run.code).toBe(1);
      expect(JSON.parse(run.stdout).firstBadEvent).toMatchObject({
        ...named,
        // The export's first line is its header: event n is on line n + 1.
        line: row.position + 1,
        reason: 'hash-mismatch',
      });
      db.prepare('UPDATE events SET data = ? WHERE position = ?').run(row.data, row.position);
    } finally {
      db.close();
    }
    expect((await s.platformAuditor.ok('GET', '/audit/verify', 200)).body).toMatchObject({
      ok: true,
      badObjects: [],
    });
  });

  it('one byte of a stored object changed: named against the SHA-256 its DocumentShared recorded', async () => {
    const shared = (await s.store.readStream(documentStreamId(s.toHospital))).find(
      (e) => e.type === 'DocumentShared',
    )!;
    const file = objectFilePath(s.world.api.config.dataDir, String(shared.data['objectKey']));
    const original = readFileSync(file);
    const altered = Buffer.from(original);
    altered[HEADER_BYTES + 10] = altered[HEADER_BYTES + 10]! ^ 0x01;
    writeFileSync(file, altered);
    try {
      const report = await s.platformAuditor.ok('GET', '/audit/verify', 200);
      expect(report.body).toMatchObject({
        ok: false,
        objectsChecked: 2,
        badObjects: [
          {
            documentId: s.toHospital,
            objectKey: shared.data['objectKey'],
            reason: 'sha256-mismatch',
            expectedSha256: shared.data['sha256'],
          },
        ],
      });
      expect(report.body.firstBadEvent).toBeUndefined();
      const hospital = await (await s.auditorOf(HOSPITAL)).ok('GET', '/audit/verify', 200);
      expect(hospital.body).toMatchObject({
        ok: false,
        objectsChecked: 1,
        badObjects: [{ documentId: s.toHospital }],
      });
      const police = await (await s.auditorOf(POLICE)).ok('GET', '/audit/verify', 200);
      expect(police.body).toMatchObject({ ok: true, objectsChecked: 1, badObjects: [] });
    } finally {
      writeFileSync(file, original);
    }
  });

  it('accord audit history prints a history as lines or CSV, every page, and a subject by scheme and value', async () => {
    const lines = await asAuditor(['audit', 'history', 'document', s.toPolice]);
    expect(lines.code).toBe(0);
    const types = ['DocumentShared', 'DocumentAccessed', 'AccessDenied', 'TransferBlocked'];
    expect(
      lines.stdout
        .trimEnd()
        .split('\n')
        .slice(1)
        .map((l) => l.trim().split(/\s+/)[2]),
    ).toEqual(types);
    const csv = await asAuditor([
      'audit',
      'history',
      'subject',
      '--scheme',
      'nhs-number',
      '--value',
      NHS_NUMBER,
      '--csv',
    ]);
    expect(csv.code).toBe(0);
    expect(
      csv.stdout
        .trimEnd()
        .split('\r\n')
        .map((r) => r.split(',')[2]),
    ).toEqual(['type', ...types]);
    const refused = await asAuditor(['audit', 'history', 'planet', 'x']);
    expect(refused.code).toBe(2); // usage: no such kind
  });

  // Last: the organisation's export enrols its auditor, which the --resume test above must not see.
  it("an export of the whole log says so on its first line: a line removed from its middle fails without --complete, while an organisation's export keeps its gaps", async () => {
    const lines = readFileSync(full, 'utf8').trimEnd().split('\n');
    const events = lines.map((l) => JSON.parse(l) as { streamId?: string; revision?: number });
    const gone = events.findIndex(
      (e, i) =>
        i >= lines.length / 2 &&
        e.revision! > 0 &&
        events.slice(i + 1).some((later) => later.streamId === e.streamId),
    );
    const removed = join(dir, 'removed-whole.ndjson');
    writeFileSync(removed, `${[...lines.slice(0, gone), ...lines.slice(gone + 1)].join('\n')}\n`);
    const run = await offline(['audit', 'verify', '--file', removed]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('the export states it holds the whole log from its first event');
    expect(JSON.parse(lines[0]!)).toEqual({
      accordAuditExport: { scope: 'platform', after: 0, logHead: expect.any(Number) },
    });

    const hospital = join(dir, 'hospital.ndjson');
    const auditor = await s.auditorOf(HOSPITAL);
    const exported = await accord({ url: s.world.url, token: auditor.token!, keyring: dir }, [
      'audit',
      'export',
      '--out',
      hospital,
    ]);
    expect(exported.code).toBe(0);
    expect(JSON.parse(readFileSync(hospital, 'utf8').split('\n')[0]!)).toMatchObject({
      accordAuditExport: { scope: 'organisation', after: 0 },
    });
    const cut = await offline(['audit', 'verify', '--file', hospital, '--json']);
    expect(JSON.parse(cut.stdout)).toMatchObject({ ok: true, wholeLog: false });
    expect(cut.code).toBe(0);
  });

  it('a whole-log export with its last lines cut off fails: it ends before the head its first line states', async () => {
    const lines = readFileSync(full, 'utf8').trimEnd().split('\n');
    const short = join(dir, 'short.ndjson');
    writeFileSync(short, `${lines.slice(0, -3).join('\n')}\n`);
    const run = await offline(['audit', 'verify', '--file', short]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      `the export ends at position ${lines.length - 4}, before the head its first line states (${lines.length - 1})`,
    );
  });

  it('accord audit verify asks the server when no file is given', async () => {
    const run = await asAuditor(['audit', 'verify']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: true, objectsChecked: 2, badObjects: [] });
  });
});
