import { DomainErrorCode } from '../errors';
import { addDaysUtc } from '../shared/time';
import { AgreementState, isTerminatedAt } from './agreement.state';
import { AgreementTerms } from './agreement.terms';

/**
 * A review that is overdue keeps the agreement in force (an ISA stands until terminated, docs/architecture.md
 * §8.3); responses and the register flag it.
 */
export function reviewOverdue(state: AgreementState, now: Date): boolean {
  if (state.status === 'none' || state.activeVersion === null || !state.nextReviewDue) return false;
  return !isTerminatedAt(state, now) && now.getTime() > Date.parse(state.nextReviewDue);
}

export type TermsNotInForceReason = Extract<
  DomainErrorCode,
  'agreement.not-found' | 'agreement.not-active' | 'agreement.suspended' | 'agreement.terminated'
>;

export type TermsInForce =
  | {
      inForce: true;
      version: number;
      terms: AgreementTerms;
      reviewOverdue: boolean;
      nextReviewDue: string | null;
      /** A signed-by-some amendment waiting for the rest; it does not govern shares yet. */
      pendingVersion: number | null;
      terminationEffectiveAt: string | null;
    }
  | { inForce: false; reason: TermsNotInForceReason };

/** The terms a share made at `now` is governed by, or why there are none (a DomainErrorCode the edge throws). */
export function termsInForce(state: AgreementState, now: Date): TermsInForce {
  if (state.status === 'none') return { inForce: false, reason: 'agreement.not-found' };
  if (isTerminatedAt(state, now)) return { inForce: false, reason: 'agreement.terminated' };
  if (state.activeVersion === null || state.activeTerms === null)
    return { inForce: false, reason: 'agreement.not-active' };
  if (state.status === 'suspended') return { inForce: false, reason: 'agreement.suspended' };
  return {
    inForce: true,
    version: state.activeVersion,
    terms: state.activeTerms,
    reviewOverdue: reviewOverdue(state, now),
    nextReviewDue: state.nextReviewDue,
    pendingVersion: state.version > state.activeVersion ? state.version : null,
    terminationEffectiveAt: state.termination?.effectiveAt ?? null,
  };
}

export const REVIEW_REMINDER_DAYS_BEFORE = 30;

export type ReviewReminderKind = 'review-due-in-30-days' | 'review-due';

export interface ReviewReminder {
  kind: ReviewReminderKind;
  /** The party whose IG leads are notified. */
  orgId: string;
  reviewDue: string;
  remindAt: string;
  /** Stable per reminder: prefix it with the agreement id for a job id or notification id, so a rerun adds nothing. */
  key: string;
}

/**
 * The review reminders that fall in (after, upTo]: each party of the terms in force is told 30 days before
 * the review is due and on the due date. The half-open window lets consecutive sweeps share a boundary
 * without sending a reminder twice or skipping one.
 */
export function reviewRemindersBetween(state: AgreementState, after: Date, upTo: Date): ReviewReminder[] {
  if (state.status === 'none' || !state.activeTerms || !state.nextReviewDue) return [];
  const due = new Date(state.nextReviewDue);
  const moments: [ReviewReminderKind, Date][] = [
    ['review-due-in-30-days', addDaysUtc(due, -REVIEW_REMINDER_DAYS_BEFORE)],
    ['review-due', due],
  ];
  const reminders: ReviewReminder[] = [];
  for (const [kind, at] of moments) {
    if (at.getTime() <= after.getTime() || at.getTime() > upTo.getTime() || isTerminatedAt(state, at))
      continue;
    for (const orgId of state.activeTerms.parties) {
      const reviewDue = state.nextReviewDue;
      reminders.push({
        kind,
        orgId,
        reviewDue,
        remindAt: at.toISOString(),
        key: `review:${reviewDue}:${kind}:${orgId}`,
      });
    }
  }
  return reminders;
}
