import { activeAgreement, allSign, drafted, PARTIES, stateOf } from '../testing/agreement-examples';
import { AgreementEvent } from './agreement.events';
import { reviewOverdue, reviewRemindersBetween, termsInForce } from './agreement.queries';

const d = (iso: string) => new Date(iso);
// activeAgreement(): first review due 2024-07-15T10:00Z, so the 30-day reminder falls on 2024-06-15T10:00Z.
const active = stateOf(activeAgreement());

describe('termsInForce', () => {
  it('names why no terms govern a share', () => {
    expect(termsInForce(stateOf([]), d('2024-02-01T00:00:00Z'))).toEqual({
      inForce: false,
      reason: 'agreement.not-found',
    });
    expect(termsInForce(stateOf([drafted()]), d('2024-02-01T00:00:00Z'))).toEqual({
      inForce: false,
      reason: 'agreement.not-active',
    });
  });

  it('returns the active version terms', () => {
    expect(termsInForce(active, d('2024-02-01T00:00:00Z'))).toMatchObject({
      inForce: true,
      version: 1,
      reviewOverdue: false,
      pendingVersion: null,
    });
  });

  it('an overdue review keeps the agreement in force but flags it', () => {
    const late = d('2024-07-15T10:00:00.001Z');
    expect(reviewOverdue(active, d('2024-07-15T10:00:00.000Z'))).toBe(false);
    expect(reviewOverdue(active, late)).toBe(true);
    expect(termsInForce(active, late)).toMatchObject({ inForce: true, reviewOverdue: true });
  });

  it('a recorded review clears the flag', () => {
    const reviewed: AgreementEvent = {
      type: 'AgreementReviewed',
      data: { reviewedAt: '2024-08-01T00:00:00.000Z', nextReviewDue: '2025-08-01T00:00:00.000Z' },
    };
    expect(reviewOverdue(stateOf([...activeAgreement(), reviewed]), d('2024-08-02T00:00:00Z'))).toBe(false);
  });
});

describe('first review date', () => {
  it('falls on the last day of the month when six months on has no such day', () => {
    const state = stateOf([
      drafted(),
      ...allSign(PARTIES, 1, '2023-08-31T12:00:00.000Z', '2024-02-29T12:00:00.000Z'),
    ]);
    expect(state).toMatchObject({ nextReviewDue: '2024-02-29T12:00:00.000Z' });
  });
});

describe('reviewRemindersBetween', () => {
  it('reminds every party 30 days before the review is due and on the due date', () => {
    const reminders = reviewRemindersBetween(active, d('2024-06-01T00:00:00Z'), d('2024-08-01T00:00:00Z'));
    expect(reminders.map((r) => [r.kind, r.orgId, r.remindAt])).toEqual([
      ['review-due-in-30-days', 'council', '2024-06-15T10:00:00.000Z'],
      ['review-due-in-30-days', 'police', '2024-06-15T10:00:00.000Z'],
      ['review-due-in-30-days', 'trust', '2024-06-15T10:00:00.000Z'],
      ['review-due', 'council', '2024-07-15T10:00:00.000Z'],
      ['review-due', 'police', '2024-07-15T10:00:00.000Z'],
      ['review-due', 'trust', '2024-07-15T10:00:00.000Z'],
    ]);
    expect(new Set(reminders.map((r) => r.key)).size).toBe(6);
  });

  it('consecutive windows sharing a boundary send each reminder exactly once', () => {
    const boundary = d('2024-06-15T10:00:00.000Z');
    const first = reviewRemindersBetween(active, d('2024-06-01T00:00:00Z'), boundary);
    const second = reviewRemindersBetween(active, boundary, d('2024-06-30T00:00:00Z'));
    expect(first.map((r) => r.kind)).toEqual([
      'review-due-in-30-days',
      'review-due-in-30-days',
      'review-due-in-30-days',
    ]);
    expect(second).toEqual([]);
  });

  it('sends nothing for a draft, or once termination has taken effect', () => {
    expect(
      reviewRemindersBetween(stateOf([drafted()]), d('2024-01-01T00:00:00Z'), d('2025-01-01T00:00:00Z')),
    ).toEqual([]);
    const ended = stateOf([
      ...activeAgreement(),
      {
        type: 'AgreementTerminated',
        data: { noticeServedBy: 'police', effectiveAt: '2024-07-01T00:00:00.000Z' },
      },
    ]);
    const reminders = reviewRemindersBetween(ended, d('2024-06-01T00:00:00Z'), d('2024-08-01T00:00:00Z'));
    expect(reminders.map((r) => r.kind)).toEqual([
      'review-due-in-30-days',
      'review-due-in-30-days',
      'review-due-in-30-days',
    ]);
  });

  it('follows the review date a recorded review sets', () => {
    const reviewed: AgreementEvent = {
      type: 'AgreementReviewed',
      data: { reviewedAt: '2024-06-20T00:00:00.000Z', nextReviewDue: '2025-06-20T00:00:00.000Z' },
    };
    const state = stateOf([...activeAgreement(), reviewed]);
    expect(reviewRemindersBetween(state, d('2024-06-20T00:00:00Z'), d('2024-08-01T00:00:00Z'))).toEqual([]);
    expect(
      reviewRemindersBetween(state, d('2025-05-01T00:00:00Z'), d('2025-05-21T00:00:00Z')).map(
        (r) => r.remindAt,
      ),
    ).toEqual(['2025-05-21T00:00:00.000Z', '2025-05-21T00:00:00.000Z', '2025-05-21T00:00:00.000Z']);
  });
});
