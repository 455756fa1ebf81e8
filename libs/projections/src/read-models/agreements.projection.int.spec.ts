import type { JsonObject } from '@accord/event-store';
import { openReadDb } from '../read-db';
import { Projector } from '../projector';
import { rebuildReadModels } from '../rebuild';
import { eventually, newEvent, tempStore } from '../testing/projection-test-kit';
import type { ReadDb } from '../projection';
import { agreementsProjection } from './agreements.projection';
import { agreementVersions, findAgreement, listAgreementRecords } from './agreements.queries';
import { notificationsProjection } from './notifications.projection';
import { inboxFor } from './notifications.queries';

const TERMS = {
  title: 'Early help',
  purposes: ['early help assessment'],
  tier: 1,
  category: 'Safer Community',
  leadOrg: 'council',
  parties: ['council', 'police'],
  lawfulBases: ['uk-gdpr-art6-1-e'],
  dataCategories: ['name'],
  retentionPeriod: 'P6Y',
  reviewIntervalMonths: 12,
};

const signed = (orgId: string, version: number): JsonObject => ({
  orgId,
  signatory: `Signatory of ${orgId}`,
  position: 'Caldicott Guardian',
  version,
  signedAt: '2024-01-15T10:00:00.000Z',
});

const at = (occurredAt: string, event: ReturnType<typeof newEvent>) => ({
  ...event,
  meta: { ...event.meta, occurredAt },
});

/** Drafted, signed by both parties (first review due 2024-07-15), then amended to version 2. */
const LIFE = [
  at('2024-01-10T09:00:00.000Z', newEvent('AgreementDrafted', TERMS)),
  at('2024-01-15T10:00:00.000Z', newEvent('AgreementSigned', signed('council', 1))),
  at('2024-01-15T10:00:00.000Z', newEvent('AgreementSigned', signed('police', 1))),
  at(
    '2024-01-15T10:00:00.000Z',
    newEvent('AgreementActivated', {
      version: 1,
      activatedAt: '2024-01-15T10:00:00.000Z',
      firstReviewDue: '2024-07-15T10:00:00.000Z',
    }),
  ),
  at(
    '2024-03-01T09:00:00.000Z',
    newEvent('AgreementAmended', {
      version: 2,
      reasonForChange: 'new title',
      changes: { title: 'Early help v2' },
    }),
  ),
];

const ALL = { audiences: ['ig-lead', 'organisation'] as const, limit: 100 };

describe('agreement and notification read models', () => {
  let kit: ReturnType<typeof tempStore>;
  let db: ReadDb;
  const projections = [agreementsProjection, notificationsProjection];

  beforeEach(async () => {
    kit = tempStore();
    await kit.store.append('agreement-a1', LIFE, 'no-stream');
    db = openReadDb(kit.readDb);
  });
  afterEach(async () => {
    db.close();
    await kit.cleanup();
  });

  it('keeps the version in force beside the pending one and never stores a clock-dependent status', async () => {
    await rebuildReadModels({ store: kit.store, db, projections });
    const a = findAgreement(db, 'a1')!;
    expect(a).toMatchObject({ title: 'Early help', status: 'active', version: 2, activeVersion: 1 });
    expect(agreementVersions(db, 'a1').map((v) => [v.version, v.terms.title, v.activatedAt])).toEqual([
      [1, 'Early help', '2024-01-15T10:00:00.000Z'],
      [2, 'Early help v2', null],
    ]);
    const columns = db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('agreements');
    expect(columns).not.toContain('review_overdue');
  });

  it('review reminders enter the inbox as the clock passes their dates, IG leads only', async () => {
    await rebuildReadModels({ store: kit.store, db, projections });
    const kindsAt = (iso: string, audiences: readonly ('ig-lead' | 'organisation')[] = ALL.audiences) =>
      inboxFor(db, 'police', new Date(iso), { audiences, limit: 100 }).map((n) => n.kind);
    expect(kindsAt('2024-06-15T09:59:59.999Z')).toEqual([
      'signature-requested',
      'agreement-activated',
      'signature-requested',
    ]);
    expect(kindsAt('2024-06-15T10:00:00.000Z')[0]).toBe('review-due-in-30-days');
    expect(kindsAt('2024-07-16T00:00:00.000Z').slice(0, 2)).toEqual(['review-due', 'review-due-in-30-days']);
    expect(kindsAt('2024-07-16T00:00:00.000Z', ['organisation'])).toEqual(['agreement-activated']);
  });

  it('skips a malformed agreement event instead of holding every read model behind it', async () => {
    await kit.store.append(
      'agreement-bad',
      [newEvent('AgreementDrafted', { title: 'no parties' })],
      'no-stream',
    );
    await kit.store.append('agreement-a2', [newEvent('AgreementDrafted', TERMS)], 'no-stream');
    await rebuildReadModels({ store: kit.store, db, projections });
    expect(listAgreementRecords(db).map((r) => r.id)).toEqual(['a1', 'a2']);
  });

  it('rebuilding the inbox alone (a version bump) pairs each old event with the state of its time', async () => {
    await rebuildReadModels({ store: kit.store, db, projections });
    const before = inboxFor(db, 'council', new Date('2024-08-01T00:00:00.000Z'), ALL);
    const bumped = { ...notificationsProjection, version: notificationsProjection.version + 1 };
    const projector = new Projector({
      store: kit.store,
      db,
      projections: [agreementsProjection, bumped],
      watchdog: false,
    });
    await projector.start();
    await eventually(() => projector.statusSnapshot().projections.every((p) => p.position === LIFE.length));
    await projector.stop();
    expect(inboxFor(db, 'council', new Date('2024-08-01T00:00:00.000Z'), ALL)).toEqual(before);
  });
});
