import { NewEvent } from '@accord/event-store';
import { openReadDb } from '../read-db';
import type { ReadDb } from '../projection';
import { rebuildReadModels } from '../rebuild';
import { dumpTables, newEvent, tempStore } from '../testing/projection-test-kit';
import { INBOX_TABLES, inboxProjection } from './inbox.projection';
import { Projector } from '../projector';
import { dueEmails, inboxPage, unreadInboxCount } from './inbox.queries';

const by = (userId: string, orgId: string, role = 'practitioner') => ({ userId, orgId, role });
const at = (event: NewEvent, actor: object, occurredAt: string): NewEvent => ({
  ...event,
  meta: { ...event.meta, actor: actor as NewEvent['meta']['actor'], occurredAt },
});
const shared = (title: string, recipients: string[], nature = 'opinion') =>
  newEvent('DocumentShared', {
    agreementId: 'isa-1',
    agreementVersion: 1,
    senderOrg: 'council',
    recipients,
    purpose: 'safeguarding',
    dataCategories: ['name'],
    subjectRefs: ['ab'.repeat(32)],
    nature,
    title,
    objectKey: 'documents/x',
    size: 1,
    sha256: '00'.repeat(32),
    recipientFingerprints: [],
    storageRegion: 'uk',
    sharedAt: '2026-01-01T00:00:00.000Z',
    retainUntil: '2027-01-01T00:00:00.000Z',
    mode: 'server-encrypted',
  });

/** Issue 13 item 4: each user's inbox, fed from the log, rebuilt identically. */
describe('the inbox read model', () => {
  let kit: ReturnType<typeof tempStore>;
  let db: ReadDb;
  const enrol = (userId: string, orgId: string, role: string) =>
    kit.store.append(
      `user-${userId}`,
      [newEvent('UserEnrolled', { orgId, name: 'N', email: 'e@x', role })],
      'no-stream',
    );

  beforeAll(async () => {
    kit = tempStore();
    await enrol('p-police', 'police', 'practitioner');
    await enrol('l-police', 'police', 'ig-lead');
    await enrol('a-police', 'police', 'auditor');
    await enrol('p-council', 'council', 'practitioner');
    await enrol('p-trust', 'trust', 'practitioner');
    const sender = by('p-council', 'council');
    await kit.store.append(
      'document-d1',
      [at(shared('Case note one', ['police']), sender, '2026-01-01T00:00:00.000Z')],
      'no-stream',
    );
    await kit.store.append(
      'document-d2',
      [at(shared('Case note two', ['police', 'trust'], 'fact'), sender, '2026-01-02T00:00:00.000Z')],
      'no-stream',
    );
    await kit.store.append(
      'document-d3',
      [at(shared('Case note three', ['police']), sender, '2026-01-03T00:00:00.000Z')],
      'no-stream',
    );
    // The police practitioner opens d1, then d1 is superseded and d2 destroyed.
    await kit.store.append(
      'document-d1',
      [
        at(
          newEvent('DocumentAccessed', { client: { ip: '127.0.0.1', country: 'GB' }, orgId: 'police' }),
          by('p-police', 'police'),
          '2026-01-04T00:00:00.000Z',
        ),
      ],
      0,
    );
    await kit.store.append(
      'document-d1',
      [
        newEvent('DocumentSuperseded', {
          supersededBy: 'd9',
          requestId: 'r1',
          agreementId: 'isa-1',
          recipients: ['police'],
        }),
      ],
      1,
    );
    await kit.store.append(
      'document-d2',
      [
        newEvent('RetentionExpired', { retainUntil: '2026-01-05T00:00:00.000Z' }),
        newEvent('PayloadDestroyed', { objectKey: 'documents/x' }),
      ],
      0,
    );
    db = openReadDb(kit.readDb);
    await rebuildReadModels({ store: kit.store, db, projections: [inboxProjection] });
  });
  afterAll(async () => {
    db.close();
    await kit.cleanup();
  });

  const all = (userId: string, limit = 2) => {
    const items = [];
    let after: string | undefined;
    for (;;) {
      const page = inboxPage(db, userId, { limit, ...(after !== undefined ? { after } : {}) });
      items.push(...page.items);
      if (page.nextAfter === null) return items;
      after = page.nextAfter;
    }
  };

  it('lists what was shared with a user, unread first, newest first, a page at a time', () => {
    const items = all('p-police', 2).map((i) => [i.documentId, i.kind, i.read]);
    expect(items).toEqual([
      ['d2', 'document-destroyed', false],
      ['d1', 'document-superseded', false],
      ['d3', 'document-shared', false],
      ['d2', 'document-shared', false],
      ['d1', 'document-shared', true],
    ]);
    expect(unreadInboxCount(db, 'p-police')).toBe(4);
    const [superseded] = all('p-police').filter((i) => i.kind === 'document-superseded');
    expect(superseded).toMatchObject({
      supersededBy: 'd9',
      nature: 'opinion',
      title: 'Case note one',
      senderOrg: 'council',
      sharedBy: 'p-council',
    });
  });

  it("an open marks that user's entries read, not a colleague's", () => {
    expect(all('l-police').filter((i) => i.read)).toEqual([]);
  });

  it('addresses receiving users of the recipient organisations only', () => {
    expect(all('p-trust').map((i) => [i.documentId, i.kind])).toEqual([
      ['d2', 'document-destroyed'],
      ['d2', 'document-shared'],
    ]);
    expect(all('a-police')).toEqual([]);
    expect(all('p-council')).toEqual([]);
  });

  it('queues one email per addressee and notice, and none for history older than the cut-off', () => {
    const due = dueEmails(db, '2030-01-01T00:00:00.000Z', '2000-01-01T00:00:00.000Z', 100);
    const mine = due.filter((e) => e.userId === 'p-police').map((e) => [e.kind, e.refs.documentId]);
    expect(mine.sort()).toEqual(
      [
        ['document-destroyed', 'd2'],
        ['document-received', 'd1'],
        ['document-received', 'd2'],
        ['document-received', 'd3'],
        ['document-superseded', 'd1'],
      ].sort(),
    );
    expect(dueEmails(db, '2030-01-01T00:00:00.000Z', '2029-01-01T00:00:00.000Z', 100)).toEqual([]);
  });

  it('rebuilds to the same rows', async () => {
    const before = dumpTables(db, INBOX_TABLES);
    await rebuildReadModels({ store: kit.store, db, projections: [inboxProjection] });
    expect(dumpTables(db, INBOX_TABLES)).toEqual(before);
  });
});

/** Issue 13 items 1 and 2 in the inbox: a team-addressed share reaches the team only; a revocation is a notice. */
describe('the inbox with teams and revocation', () => {
  let kit: ReturnType<typeof tempStore>;
  let db: ReadDb;
  const kinds = (userId: string) =>
    inboxPage(db, userId, { limit: 50 })
      .items.map((i) => `${i.kind}:${i.documentId}`)
      .sort();

  beforeAll(async () => {
    kit = tempStore();
    for (const [userId, orgId] of [
      ['ppu', 'police'],
      ['traffic', 'police'],
      ['nurse', 'trust'],
    ] as const)
      await kit.store.append(
        `user-${userId}`,
        [newEvent('UserEnrolled', { orgId, name: 'N', email: 'e@x', role: 'practitioner' })],
        'no-stream',
      );
    await kit.store.append(
      'organisation-police',
      [newEvent('TeamMemberAdded', { teamId: 't-ppu', userId: 'ppu' })],
      'any',
    );
    const share = shared('Case note', ['police', 'trust']);
    const teamAddressed = { ...share, data: { ...share.data, recipientTeams: { police: ['t-ppu'] } } };
    await kit.store.append(
      'document-d9',
      [at(teamAddressed, by('p-council', 'council'), '2026-02-01T00:00:00.000Z')],
      'no-stream',
    );
    await kit.store.append(
      'document-d9',
      [
        at(
          newEvent('DocumentRevoked', {
            reason: 'sent to the wrong force',
            revokedBy: 'p-council',
            orgId: 'council',
            agreementId: 'isa-1',
            recipients: ['police', 'trust'],
            recipientTeams: { police: ['t-ppu'] },
          }),
          by('p-council', 'council'),
          '2026-02-02T00:00:00.000Z',
        ),
      ],
      0,
    );
    db = openReadDb(kit.readDb);
    await rebuildReadModels({ store: kit.store, db, projections: [inboxProjection] });
  });
  afterAll(async () => {
    db.close();
    await kit.cleanup();
  });

  it('reaches only the addressed team in a team-addressed organisation, the whole of another', () => {
    expect(kinds('ppu')).toEqual(['document-revoked:d9', 'document-shared:d9']);
    expect(kinds('nurse')).toEqual(['document-revoked:d9', 'document-shared:d9']);
    expect(kinds('traffic')).toEqual([]);
  });

  it('queues the revocation email to the addressees only, without the reason', () => {
    const revoked = dumpTables(db, ['email_outbox'])
      .email_outbox!.filter((r) => (r as { kind: string }).kind === 'document-revoked')
      .map((r) => (r as { user_id: string }).user_id)
      .sort();
    expect(revoked).toEqual(['nurse', 'ppu']);
    expect(JSON.stringify(dumpTables(db, ['inbox_items', 'email_outbox']))).not.toContain('wrong force');
  });
});

/**
 * Need-to-know in the read model (docs/architecture.md §24, §27): a member removed from the addressed team no
 * longer has those entries listed or counted; re-added, they are back with their read state, as GET /documents
 * lists the document again. Projected live, event by event, then rebuilt from the log to the same rows.
 */
describe('the inbox as team membership changes', () => {
  let kit: ReturnType<typeof tempStore>;
  let projector: Projector;
  let db: ReadDb;
  const police = 'organisation-police';
  const entries = (userId: string) =>
    inboxPage(db, userId, { limit: 50 }).items.map(
      (i) => `${i.kind}:${i.documentId}:${i.read ? 'read' : 'unread'}`,
    );
  const append = async (stream: string, events: NewEvent[]) => {
    const { position } = await kit.store.append(stream, events, 'any');
    await projector.waitFor(position, 10_000);
  };
  const member = (type: 'TeamMemberAdded' | 'TeamMemberRemoved', userId: string) =>
    append(police, [newEvent(type, { teamId: 't-ppu', userId })]);
  const share = (documentId: string, recipients: string[], recipientTeams?: Record<string, string[]>) => {
    const event = shared(`Note ${documentId}`, recipients);
    return append(`document-${documentId}`, [
      at(
        { ...event, data: { ...event.data, ...(recipientTeams ? { recipientTeams } : {}) } },
        by('p-council', 'council'),
        '2026-03-01T00:00:00.000Z',
      ),
    ]);
  };

  beforeAll(async () => {
    kit = tempStore();
    projector = new Projector({
      store: kit.store,
      db: kit.readDb,
      projections: [inboxProjection],
      batchSize: 2,
    });
    await projector.start();
    db = openReadDb(kit.readDb);
    for (const [userId, orgId] of [
      ['ppu', 'police'],
      ['traffic', 'police'],
      ['nurse', 'trust'],
    ] as const)
      await append(`user-${userId}`, [
        newEvent('UserEnrolled', { orgId, name: 'N', email: 'e@x', role: 'practitioner' }),
      ]);
    await member('TeamMemberAdded', 'ppu');
    await share('d1', ['police']);
    await share('d2', ['police'], { police: ['t-ppu'] });
    await share('d3', ['police', 'trust'], { police: ['t-ppu'] });
    await append('document-d2', [
      at(
        newEvent('DocumentAccessed', { client: { ip: '127.0.0.1', country: 'GB' }, orgId: 'police' }),
        by('ppu', 'police'),
        '2026-03-02T00:00:00.000Z',
      ),
    ]);
  });
  afterAll(async () => {
    await projector.stop();
    db.close();
    await kit.cleanup();
  });

  it('a member of the addressed team has every entry, unread first', () => {
    expect(entries('ppu')).toEqual([
      'document-shared:d3:unread',
      'document-shared:d1:unread',
      'document-shared:d2:read',
    ]);
    expect(unreadInboxCount(db, 'ppu')).toBe(2);
  });

  it('removed from the team, the team-addressed entries are neither listed nor counted; a page stays full', async () => {
    await member('TeamMemberRemoved', 'ppu');
    expect(entries('ppu')).toEqual(['document-shared:d1:unread']);
    expect(unreadInboxCount(db, 'ppu')).toBe(1);
    expect(inboxPage(db, 'ppu', { limit: 1 })).toMatchObject({
      items: [{ documentId: 'd1' }],
      nextAfter: null,
    });
    // Another organisation's addressee of the same document keeps it.
    expect(entries('nurse')).toEqual(['document-shared:d3:unread']);
  });

  it("a notice while removed is kept hidden for them, shown to the document's other addressees", async () => {
    await append('document-d3', [
      at(
        newEvent('DocumentRevoked', {
          reason: 'wrong force',
          revokedBy: 'p-council',
          orgId: 'council',
          agreementId: 'isa-1',
          recipients: ['police', 'trust'],
          recipientTeams: { police: ['t-ppu'] },
        }),
        by('p-council', 'council'),
        '2026-03-03T00:00:00.000Z',
      ),
    ]);
    expect(entries('ppu')).toEqual(['document-shared:d1:unread']);
    expect(unreadInboxCount(db, 'ppu')).toBe(1);
    expect(entries('nurse')).toEqual(['document-revoked:d3:unread', 'document-shared:d3:unread']);
    // Nor emailed to them: the revocation's email goes to the addressees who still have need-to-know.
    const emailed = dumpTables(db, ['email_outbox'])
      .email_outbox!.filter((r) => (r as { kind: string }).kind === 'document-revoked')
      .map((r) => (r as { user_id: string }).user_id)
      .sort();
    expect(emailed).toEqual(['nurse']);
  });

  it('re-added, the entries are back with their read state, the notice given meanwhile included', async () => {
    await member('TeamMemberAdded', 'ppu');
    expect(entries('ppu')).toEqual([
      'document-revoked:d3:unread',
      'document-shared:d3:unread',
      'document-shared:d1:unread',
      'document-shared:d2:read',
    ]);
    expect(unreadInboxCount(db, 'ppu')).toBe(3);
  });

  it('a member who joins later gets no entries for what was shared before (GET /documents lists those)', async () => {
    await member('TeamMemberAdded', 'traffic');
    expect(entries('traffic')).toEqual(['document-shared:d1:unread']);
  });

  it('rebuilds from the log to the rows live projection wrote, in place and offline', async () => {
    await projector.stop();
    const live = dumpTables(db, INBOX_TABLES);
    await rebuildReadModels({ store: kit.store, db, projections: [inboxProjection] });
    expect(dumpTables(db, INBOX_TABLES)).toEqual(live);
    // Offline (given the path, as `accord admin rebuild`): the page's index is built only after the load.
    db.close();
    await rebuildReadModels({ store: kit.store, db: kit.readDb, projections: [inboxProjection] });
    db = openReadDb(kit.readDb);
    expect(dumpTables(db, INBOX_TABLES)).toEqual(live);
    expect(entries('ppu')).toHaveLength(4);
  });
});
