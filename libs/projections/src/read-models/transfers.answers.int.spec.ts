import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NewEvent } from '@accord/event-store';
import { Projector } from '../projector';
import { openReadDb } from '../read-db';
import { rebuildReadModels } from '../rebuild';
import { actorEvent as ev, sharedEvent as shared, tempStore } from '../testing/projection-test-kit';
import { auditProjection } from './audit.projection';
import { transfersProjection } from './transfers.projection';
import { listTransfers, TransferQuery } from './transfers.queries';

/**
 * Every answer of listTransfers on a fixed log, against the answers the read model gave before its access
 * rows were derived from the audit trail's (docs/architecture.md §37.2.2): `transfers.answers.fixture.json`
 * was written by the code that stored an access row of its own (TRANSFERS_ANSWERS_WRITE=1 writes it again).
 * The log has the edge cases the derivation must keep: an access before its document was shared and by an
 * organisation before it registered (judged as things stood then), the client's country in the data, in the
 * meta or nowhere, an opener named only by the actor or not at all, an access outside a document stream.
 */

const FIXTURE = join(__dirname, 'transfers.answers.fixture.json');
const registered = (jurisdiction: string) => ev('OrganisationRegistered', { jurisdiction });
const accessed = (
  orgId: string | undefined,
  actorOrg: string | undefined,
  country?: string,
  inData?: string,
) =>
  ev(
    'DocumentAccessed',
    { ...(orgId ? { orgId } : {}), ...(inData ? { client: { country: inData } } : {}) },
    actorOrg ? { userId: `${actorOrg}-user`, orgId: actorOrg } : { userId: 'nobody' },
    country,
  );

const LOG: [string, NewEvent][] = [
  ['organisation-council', registered('GB-ENG')],
  ['organisation-police', registered('GB-WLS')],
  ['organisation-paris', registered('FR')],
  ['document-d0', accessed('police', 'police', 'GB')],
  ['document-d0', shared('council', ['police'], 'eu-west-2')],
  ['document-d1', shared('council', ['police', 'paris'])],
  ['document-d1', accessed('police', 'police', 'GB')],
  ['document-d1', accessed('paris', 'paris', 'GB', 'FR')],
  ['document-d1', accessed(undefined, 'police')],
  ['document-d1', accessed('late', 'late', 'GB')],
  ['document-d1', accessed(undefined, undefined, 'US')],
  ['organisation-other', accessed('police', 'police', 'GB')],
  ['organisation-late', registered('GB-SCT')],
  ['document-d1', accessed('late', 'late', 'GB')],
  [
    'document-d1',
    ev(
      'TransferBlocked',
      { reason: 'transfer.client-outside-uk', destination: 'FR', orgId: 'police' },
      { userId: 'p1', orgId: 'police' },
      'FR',
    ),
  ],
  [
    'document-refused',
    ev(
      'TransferBlocked',
      { reason: 'transfer.recipient-outside-uk', destination: 'FR', orgId: 'council', agreementId: 'ag' },
      { userId: 'c1', orgId: 'council' },
      'GB',
    ),
  ],
  ['document-d2', shared('police', ['late'], 'us-east-1')],
  ['document-d2', accessed('late', 'late', 'GB')],
  ['document-d0', ev('RetentionExpired', { retainUntil: 'x' })],
  ['document-d0', ev('PayloadDestroyed', { objectKey: 'k0' })],
  ['document-d1', ev('DocumentErased', { requestId: 'r' })],
  ['document-d1', ev('PayloadDestroyed', { objectKey: 'k1' })],
  ['document-d1', accessed('police', 'police', 'GB')],
];

describe('transfers: the same answers whether access rows are stored or derived', () => {
  let env: ReturnType<typeof tempStore>;
  beforeEach(() => (env = tempStore()));
  afterEach(() => env.cleanup());

  function answers(file: string, head: number) {
    const db = openReadDb(file);
    try {
      const out: Record<string, unknown> = {};
      for (const scopeOrgId of [null, 'council', 'police', 'paris', 'late', 'nobody'])
        for (const nonUkOnly of [false, true])
          for (const regions of [['uk', 'eu-west-2'], ['us-east-1']])
            for (let upTo = 0; upTo <= head; upTo += scopeOrgId === null ? 1 : 4) {
              const q: TransferQuery = {
                ukStorageRegions: regions,
                nonUkOnly,
                scopeOrgId,
                after: [0, -1],
                upTo,
                limit: 3,
              };
              const pages = [];
              for (;;) {
                const page = listTransfers(db, q);
                pages.push(page);
                if (!page.nextAfter) break;
                const [p, s] = page.nextAfter.split('.').map(Number);
                q.after = [p!, s!];
              }
              // Every record in full once per region list (below); here what each page holds, and the summary.
              out[`${scopeOrgId}|${nonUkOnly}|${regions.join(',')}|${upTo}`] = {
                pages: pages.map((p) => [p.items.map((t) => `${t.position}.${t.seq}`), p.nextAfter]),
                summary: pages[0]!.summary,
              };
              if (scopeOrgId === null && !nonUkOnly && upTo === head)
                out[`records|${regions.join(',')}`] = pages.flatMap((p) => p.items);
            }
      return out;
    } finally {
      db.close();
    }
  }

  it('gives every scope, filter, cut and page as before, live and rebuilt', async () => {
    const projections = [auditProjection, transfersProjection];
    const projector = new Projector({ store: env.store, db: env.readDb, projections, batchSize: 4 });
    await projector.start();
    let head = 0;
    for (const [stream, event] of LOG) ({ position: head } = await env.store.append(stream, [event], 'any'));
    await projector.waitFor(head, 10_000);
    await projector.stop();
    const live = answers(env.readDb, head);
    if (process.env['TRANSFERS_ANSWERS_WRITE'] === '1') writeFileSync(FIXTURE, JSON.stringify(live));
    const expected = JSON.parse(readFileSync(FIXTURE, 'utf8')) as unknown;
    expect(live).toEqual(expected);
    await rebuildReadModels({ store: env.store, db: env.readDb, projections });
    expect(answers(env.readDb, head)).toEqual(expected);
  });

  it('rebuilds at start a read.db of the versions that stored access rows (transfers 2, audit 5)', async () => {
    const projections = [auditProjection, transfersProjection];
    let projector = new Projector({ store: env.store, db: env.readDb, projections });
    await projector.start();
    let head = 0;
    for (const [stream, event] of LOG) ({ position: head } = await env.store.append(stream, [event], 'any'));
    await projector.waitFor(head, 10_000);
    await projector.stop();
    // Put read.db back into the shape those versions left: their columns, an access row of transfers' own.
    const db = openReadDb(env.readDb);
    const accesses = db
      .prepare(
        `SELECT position, 0, event_id, occurred_at, 'access', document_id, NULL, NULL, NULL, actor_org_id,
           'GB-WLS', 'uk', 'GB', 1, NULL, NULL, actor_user_id, actor_org_id
         FROM audit_entries WHERE type = 'DocumentAccessed' AND document_id IS NOT NULL`,
      )
      .raw()
      .all() as unknown[][];
    expect(accesses.length).toBeGreaterThan(5);
    const insert = db.prepare(`INSERT INTO transfers VALUES (${accesses[0]!.map(() => '?').join(', ')})`);
    for (const row of accesses) insert.run(...row);
    db.exec(`ALTER TABLE audit_entries DROP COLUMN client_country;
      ALTER TABLE transfer_organisations DROP COLUMN position;
      ALTER TABLE transfer_documents DROP COLUMN position;
      UPDATE projection_checkpoints SET version = CASE name WHEN 'audit' THEN 5 ELSE 2 END`);
    db.close();

    projector = new Projector({ store: env.store, db: env.readDb, projections });
    await projector.start();
    await projector.waitFor(head, 10_000);
    await projector.stop();
    const after = openReadDb(env.readDb);
    expect(after.prepare(`SELECT count(*) FROM transfers WHERE kind = 'access'`).pluck().get()).toBe(0);
    after.close();
    expect(answers(env.readDb, head)).toEqual(JSON.parse(readFileSync(FIXTURE, 'utf8')));
  });
});
