import {
  AGREEMENT_STREAM_PREFIX,
  DOCUMENT_STREAM_PREFIX,
  documentStreamId,
  ORGANISATION_STREAM_PREFIX,
  organisationStreamId,
  userStreamId,
} from '@accord/domain';
import { NewEvent, RecordedEvent, uuidv7 } from '@accord/event-store';
import { Projector } from '../projector';
import type { ReadDb } from '../projection';
import { openReadDb } from '../read-db';
import { dumpTables, tempStore } from '../testing/projection-test-kit';
import { picker, random } from '../../../event-store/src/testing/random';
import { rebuildReadModels } from '../rebuild';
import { AUDIT_TABLES, auditProjection } from './audit.projection';
import {
  auditCheckpoint,
  auditHistory,
  auditOrgPositions,
  auditPositionAt,
  AuditTarget,
} from './audit.queries';

const ORGS = ['council', 'police', 'trust', 'school', 'outsider'];
const REFS = ['a'.repeat(64), 'b'.repeat(64), 'c'.repeat(64)];

let clock = Date.parse('2025-01-01T00:00:00.000Z');

function ev(type: string, data: NewEvent['data'], actor?: { userId: string; orgId: string }): NewEvent {
  clock += 60_000;
  return {
    eventId: uuidv7(),
    type,
    data,
    meta: {
      occurredAt: new Date(clock).toISOString(),
      actor: actor ? { ...actor, role: 'practitioner' } : { system: 'test' },
      correlationId: uuidv7(),
    },
  };
}

/**
 * The straight replay the read model is checked against: the rules of docs/architecture.md §13 and §15.2,
 * written out plainly over the raw events (no shared code with the projection).
 */
function straightFold(events: RecordedEvent[], target: AuditTarget, upTo: number, scope: string | null) {
  const parties = new Map<string, Set<string>>();
  const agreementOfDocument = new Map<string, string>();
  const erased = new Set(events.filter((e) => e.type === 'DocumentErased').map((e) => e.streamId));
  const subjectsOf = new Map<string, string[]>();
  // A scoped subject search covers only documents the scope's organisation sent or received (issue 12).
  const documentParties = new Map<string, string[]>();
  for (const e of events) {
    if (e.type !== 'DocumentShared') continue;
    const d = e.data as { senderOrg: string; recipients: string[] };
    documentParties.set(e.streamId, [d.senderOrg, ...d.recipients]);
  }
  const out: number[] = [];
  for (const e of events) {
    const d = e.data as Record<string, unknown>;
    const streamParties = parties.get(e.streamId) ?? new Set<string>();
    parties.set(e.streamId, streamParties);
    if (e.type === 'DocumentShared') {
      streamParties.add(d['senderOrg'] as string);
      for (const r of d['recipients'] as string[]) streamParties.add(r);
      agreementOfDocument.set(e.streamId, d['agreementId'] as string);
      subjectsOf.set(e.streamId, d['subjectRefs'] as string[]);
    }
    if (e.type === 'AgreementDrafted') for (const p of d['parties'] as string[]) streamParties.add(p);
    if (e.type === 'AgreementAmended') {
      for (const p of (d['changes'] as { parties?: string[] }).parties ?? []) streamParties.add(p);
    }
    if (e.type === 'UserEnrolled') streamParties.add(d['orgId'] as string);
    if (e.streamId.startsWith(ORGANISATION_STREAM_PREFIX))
      streamParties.add(e.streamId.slice(ORGANISATION_STREAM_PREFIX.length));
    const orgs = new Set(streamParties);
    const actorOrg = (e.meta.actor as { orgId?: string }).orgId;
    if (actorOrg) orgs.add(actorOrg);
    if (typeof d['orgId'] === 'string') orgs.add(d['orgId']);
    if (e.position > upTo || e.type.startsWith('ApiToken')) continue;
    if (scope !== null && !orgs.has(scope)) continue;
    const agreementId = e.streamId.startsWith(AGREEMENT_STREAM_PREFIX)
      ? e.streamId.slice(AGREEMENT_STREAM_PREFIX.length)
      : (agreementOfDocument.get(e.streamId) ?? (d['agreementId'] as string | undefined));
    const actorUser = (e.meta.actor as { userId?: string }).userId;
    const hit =
      target.kind === 'document'
        ? e.streamId === documentStreamId(target.id)
        : target.kind === 'user'
          ? actorUser === target.id || e.streamId === userStreamId(target.id)
          : target.kind === 'organisation'
            ? orgs.has(target.id)
            : target.kind === 'agreement'
              ? e.streamId.startsWith(DOCUMENT_STREAM_PREFIX) ||
                e.streamId.startsWith(AGREEMENT_STREAM_PREFIX)
                ? agreementId === target.id
                : false
              : !erased.has(e.streamId) &&
                (subjectsOf.get(e.streamId) ?? []).includes(target.ref) &&
                (scope === null || (documentParties.get(e.streamId) ?? []).includes(scope));
    if (hit) out.push(e.position);
  }
  return out;
}

/** A random but well-formed history: agreements, users, documents, opens, outsiders refused, erasures. */
function randomHistory(rnd: () => number, steps: number): [string, NewEvent][] {
  const pick = picker(rnd);
  const out: [string, NewEvent][] = [];
  const users: { userId: string; orgId: string }[] = [];
  const docs: { id: string; parties: string[] }[] = [];
  for (const org of ORGS)
    out.push([organisationStreamId(org), ev('OrganisationRegistered', { jurisdiction: 'GB-ENG' })]);
  out.push(['agreement-ag1', ev('AgreementDrafted', { parties: ['council', 'police', 'trust'] })]);
  out.push(['agreement-ag2', ev('AgreementDrafted', { parties: ['council', 'school'] })]);
  for (let i = 0; i < steps; i++) {
    const r = rnd();
    if (r < 0.12 || users.length === 0) {
      const user = { userId: `u${i}`, orgId: pick(ORGS) };
      users.push(user);
      out.push([userStreamId(user.userId), ev('UserEnrolled', { orgId: user.orgId, role: 'practitioner' })]);
      out.push([userStreamId(user.userId), ev('ApiTokenIssued', { tokenId: 't', tokenHash: 'h' })]);
    } else if (r < 0.35) {
      const sender = pick(users);
      const recipients = [pick(ORGS.filter((o) => o !== sender.orgId))];
      const id = `d${i}`;
      docs.push({ id, parties: [sender.orgId, ...recipients] });
      const data = {
        agreementId: pick(['ag1', 'ag2']),
        senderOrg: sender.orgId,
        recipients,
        subjectRefs: [pick(REFS)],
        title: 'secret title',
      };
      out.push([documentStreamId(id), ev('DocumentShared', data, sender)]);
    } else if (r < 0.7 && docs.length > 0) {
      const doc = pick(docs);
      const user = pick(users);
      const type = doc.parties.includes(user.orgId) ? 'DocumentAccessed' : 'AccessDenied';
      const data: NewEvent['data'] =
        type === 'DocumentAccessed'
          ? { orgId: user.orgId }
          : { reason: 'open.not-a-recipient', orgId: user.orgId };
      out.push([documentStreamId(doc.id), ev(type, data, user)]);
    } else if (r < 0.78) {
      const user = pick(users);
      out.push([
        `document-refused${i}`,
        ev(
          'TransferBlocked',
          {
            reason: 'transfer.recipient-outside-uk',
            destination: 'FR',
            orgId: user.orgId,
            agreementId: 'ag1',
          },
          user,
        ),
      ]);
    } else if (r < 0.84) {
      out.push([
        'agreement-ag2',
        ev('AgreementAmended', { version: i, changes: { parties: ['council', 'school', pick(ORGS)] } }),
      ]);
    } else if (r < 0.9 && docs.length > 0) {
      out.push([
        documentStreamId(pick(docs).id),
        ev(pick(['LegalHoldPlaced', 'RetentionExpired', 'DocumentErased']), { reason: 'r' }),
      ]);
    } else {
      out.push([
        organisationStreamId(pick(ORGS)),
        ev('OrganisationKeyAdded', { fingerprint: `f${i}`, publicKey: 'k' }),
      ]);
    }
  }
  return out;
}

describe('audit projection: histories as things stood at any position', () => {
  let env: ReturnType<typeof tempStore>;
  let projector: Projector;
  let db: ReadDb;

  beforeEach(async () => {
    env = tempStore();
    projector = new Projector({ store: env.store, db: env.readDb, projections: [auditProjection] });
    await projector.start();
    db = openReadDb(env.readDb);
  });
  afterEach(async () => {
    await projector.stop();
    db.close();
    await env.cleanup();
  });

  async function appendAll(history: [string, NewEvent][]): Promise<RecordedEvent[]> {
    let position = 0;
    for (const [streamId, event] of history)
      ({ position } = await env.store.append(streamId, [event], 'any'));
    await projector.waitFor(position, 20_000);
    const events: RecordedEvent[] = [];
    for await (const page of env.store.readAll()) events.push(...page);
    return events;
  }

  const positions = (target: AuditTarget, upTo: number, scope: string | null, limit = 10_000) =>
    auditHistory(db, target, { after: 0, upTo, limit, scopeOrgId: scope }).items.map((e) => e.position);

  it.each([1, 2, 3])(
    'equals a straight fold of the raw events up to a random position, for every target and scope (seed %i)',
    async (seed) => {
      const rnd = random(seed);
      const events = await appendAll(randomHistory(rnd, 160));
      const head = events[events.length - 1]!.position;
      expect(auditCheckpoint(db)).toBe(head);
      const docIds = [
        ...new Set(
          events.filter((e) => e.streamId.startsWith(DOCUMENT_STREAM_PREFIX)).map((e) => e.streamId.slice(9)),
        ),
      ];
      const userIds = [
        ...new Set(events.filter((e) => e.type === 'UserEnrolled').map((e) => e.streamId.slice(5))),
      ];
      for (let i = 0; i < 25; i++) {
        const upTo = Math.floor(rnd() * (head + 2));
        const targets: AuditTarget[] = [
          { kind: 'document', id: docIds[Math.floor(rnd() * docIds.length)]! },
          { kind: 'user', id: userIds[Math.floor(rnd() * userIds.length)]! },
          { kind: 'organisation', id: ORGS[Math.floor(rnd() * ORGS.length)]! },
          { kind: 'agreement', id: rnd() < 0.5 ? 'ag1' : 'ag2' },
          { kind: 'subject', ref: REFS[Math.floor(rnd() * REFS.length)]! },
        ];
        for (const target of targets) {
          for (const scope of [null, 'council', 'outsider']) {
            expect({ target, upTo, scope, got: positions(target, upTo, scope) }).toEqual({
              target,
              upTo,
              scope,
              got: straightFold(events, target, upTo, scope),
            });
          }
        }
      }
    },
  );

  it('pages in log order without skipping or repeating a row', async () => {
    const events = await appendAll(randomHistory(random(7), 120));
    const head = events[events.length - 1]!.position;
    const target: AuditTarget = { kind: 'organisation', id: 'council' };
    const seen: number[] = [];
    let after = 0;
    for (;;) {
      const page = auditHistory(db, target, { after, upTo: head, limit: 7, scopeOrgId: null });
      seen.push(...page.items.map((e) => e.position));
      if (page.nextAfter === null) break;
      after = page.nextAfter;
    }
    expect(seen).toEqual(positions(target, head, null));
    expect(seen.length).toBeGreaterThan(7);
  });

  it('withholds titles, subject references, names and keys from rows, and an organisation log lists its events', async () => {
    const user = { userId: 'u1', orgId: 'council' };
    const events = await appendAll([
      [
        'user-u1',
        ev('UserEnrolled', {
          orgId: 'council',
          role: 'practitioner',
          name: 'Ann Example',
          email: 'ann@x.example',
        }),
      ],
      [
        'document-d1',
        ev(
          'DocumentShared',
          {
            agreementId: 'ag',
            senderOrg: 'council',
            recipients: ['police'],
            title: 'Child J',
            subjectRefs: [REFS[0]!],
          },
          user,
        ),
      ],
      ['organisation-police', ev('OrganisationKeyAdded', { fingerprint: 'ff', publicKey: '-----BEGIN PGP' })],
    ]);
    const rows = auditHistory(
      db,
      { kind: 'organisation', id: 'council' },
      { after: 0, upTo: 99, limit: 50, scopeOrgId: null },
    ).items;
    const text = JSON.stringify(rows);
    for (const secret of ['Ann Example', 'ann@x.example', 'Child J', REFS[0]!])
      expect(text).not.toContain(secret);
    expect(rows.find((r) => r.type === 'DocumentShared')!.details).toMatchObject({
      subjectCount: 1,
      recipients: ['police'],
    });
    expect(auditOrgPositions(db, 'police', 0, 99, 10)).toEqual([events[1]!.position, events[2]!.position]);
  });

  it('turns an ISO time into the last position that occurred at or before it', async () => {
    const events = await appendAll(randomHistory(random(11), 20));
    const third = events[2]!;
    expect(auditPositionAt(db, third.meta.occurredAt)).toBe(third.position);
    expect(auditPositionAt(db, '2000-01-01T00:00:00.000Z')).toBe(0);
  });

  it('a rebuild from zero gives the same tables', async () => {
    await appendAll(randomHistory(random(5), 80));
    const before = dumpTables(db, AUDIT_TABLES);
    await projector.stop();
    await rebuildReadModels({ store: env.store, db: env.readDb, projections: [auditProjection] });
    // The rebuild replaced the file: the connection opened before still sees the old one.
    db.close();
    db = openReadDb(env.readDb);
    expect(dumpTables(db, AUDIT_TABLES)).toEqual(before);
    await projector.start();
  });
});
