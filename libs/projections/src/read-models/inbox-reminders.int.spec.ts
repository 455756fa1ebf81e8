import { openReadDb } from '../read-db';
import type { ReadDb } from '../projection';
import { rebuildReadModels } from '../rebuild';
import { newEvent, tempStore } from '../testing/projection-test-kit';
import { agreementsProjection } from './agreements.projection';
import { inboxProjection } from './inbox.projection';
import { dueEmails, dueReminderEmails } from './inbox.queries';

const at = (occurredAt: string, event: ReturnType<typeof newEvent>) => ({
  ...event,
  meta: { ...event.meta, occurredAt },
});
const signed = (orgId: string) => ({
  orgId,
  signatory: `Signatory of ${orgId}`,
  position: 'Caldicott Guardian',
  version: 1,
  signedAt: '2024-01-15T10:00:00.000Z',
});

/** Signing requests, activation and review reminders reach each party's IG leads, once (docs/architecture.md §27). */
describe('agreement emails', () => {
  let kit: ReturnType<typeof tempStore>;
  let db: ReadDb;
  const project = () =>
    rebuildReadModels({ store: kit.store, db, projections: [agreementsProjection, inboxProjection] });

  beforeAll(async () => {
    kit = tempStore();
    for (const [user, orgId, role] of [
      ['lead-council', 'council', 'ig-lead'],
      ['lead-police', 'police', 'ig-lead'],
      ['prac-police', 'police', 'practitioner'],
      ['lead-trust', 'trust', 'ig-lead'],
    ] as const)
      await kit.store.append(
        `user-${user}`,
        [newEvent('UserEnrolled', { orgId, name: 'N', email: 'e@x', role })],
        'no-stream',
      );
    await kit.store.append(
      'agreement-a1',
      [
        at(
          '2024-01-10T09:00:00.000Z',
          newEvent('AgreementDrafted', {
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
          }),
        ),
        at('2024-01-15T10:00:00.000Z', newEvent('AgreementSigned', signed('council'))),
        at('2024-01-15T10:00:00.000Z', newEvent('AgreementSigned', signed('police'))),
        at(
          '2024-01-15T10:00:00.000Z',
          newEvent('AgreementActivated', {
            version: 1,
            activatedAt: '2024-01-15T10:00:00.000Z',
            firstReviewDue: '2024-07-15T10:00:00.000Z',
          }),
        ),
      ],
      'no-stream',
    );
    db = openReadDb(kit.readDb);
    await project();
  });
  afterAll(async () => {
    db.close();
    await kit.cleanup();
  });

  it("queues the signing request and the activation for each party's IG leads only", () => {
    const queued = dueEmails(db, '2030-01-01T00:00:00.000Z', '2000-01-01T00:00:00.000Z', 100)
      .map((e) => `${e.kind} ${e.userId}`)
      .sort();
    expect(queued).toEqual([
      'agreement-activated lead-council',
      'agreement-activated lead-police',
      'signature-requested lead-council',
      'signature-requested lead-police',
    ]);
  });

  it('finds the review reminder 30 days before the due date, for each party, and not once it has an email', async () => {
    const none = dueReminderEmails(
      db,
      new Date('2024-06-01T00:00:00.000Z'),
      new Date('2024-06-15T09:00:00.000Z'),
    );
    expect(none).toEqual([]);
    const due = dueReminderEmails(
      db,
      new Date('2024-06-14T00:00:00.000Z'),
      new Date('2024-06-16T00:00:00.000Z'),
    );
    expect(due.map((r) => `${r.kind} ${r.userId} ${r.refs.dueAt}`).sort()).toEqual([
      'review-reminder lead-council 2024-07-15T10:00:00.000Z',
      'review-reminder lead-police 2024-07-15T10:00:00.000Z',
    ]);
    const [first] = due;
    await kit.store.append(
      `email-${first!.id}`,
      [
        newEvent('EmailAttempted', {
          notificationId: first!.id,
          kind: first!.kind,
          recipientUserId: first!.userId,
          refs: first!.refs,
          attempt: 1,
          attemptedAt: '2024-06-15T10:00:01.000Z',
        }),
      ],
      'no-stream',
    );
    await project();
    const again = dueReminderEmails(
      db,
      new Date('2024-06-14T00:00:00.000Z'),
      new Date('2024-06-16T00:00:00.000Z'),
    );
    expect(again.map((r) => r.userId)).toEqual([due[1]!.userId]);
  });
});
