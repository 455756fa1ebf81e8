import { ArgumentsHost, Catch, ExceptionFilter, Inject } from '@nestjs/common';
import type { Request } from 'express';
import { breachDecider, breachStreamId, isInvolvedIn, userDecider, userStreamId } from '@accord/domain';
import { EVENT_STORE, EventStore } from '@accord/event-store';
import {
  AppLogger,
  Clock,
  fold,
  ProblemDetailsFilter,
  problemForError,
  RECORD_ATTEMPTS,
} from '@accord/platform';
import { AuthenticatedRequest, eventMetaFor } from '../auth';
import { SettledCommandRunner } from '../shared/settled-command.runner';

/**
 * The answers that refuse a caller an action on a breach, as opposed to a mistake in the request (422) or
 * the breach's state (409): the caller's role, an organisation that may not do this, a breach the caller's
 * organisation is not involved in (404, the same answer as one that does not exist), documents that are not
 * its own, a containment target of another organisation.
 */
const REFUSALS: ReadonlySet<string> = new Set([
  'auth.forbidden-role',
  'auth.other-organisation',
  'breach.not-reporter',
  'breach.not-a-party',
  'breach.not-found',
  'breach.document-unknown',
]);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Every refused action on a breach is an immutable event (README: "every ... denial"), as a refused open is
 * an AccessDenied and a refused token issue a TokenIssueRefused. A filter, bound to the breach controllers,
 * because the role refusal comes from the global guard before any handler runs; it records, then answers
 * through the one ProblemDetailsFilter. The record is `BreachActionRefused` on the refused user's stream:
 * a report refused names no breach, and an outsider's attempt must not land anywhere that tells the
 * outsider's organisation whose breach it was. When the caller's organisation is involved in the breach,
 * `orgIds` names the reporter, whose audit readers then see the attempt too. If the record cannot be
 * written, the request fails with that error (a 503 when the store is down), never answering a refusal
 * that left no trace.
 */
@Catch()
export class BreachRefusalFilter implements ExceptionFilter {
  private readonly problems: ProblemDetailsFilter;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly runner: SettledCommandRunner,
    private readonly clock: Clock,
    logger: AppLogger,
  ) {
    this.problems = new ProblemDetailsFilter(logger);
  }

  catch(error: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') return this.problems.catch(error, host);
    // Nest does not await a filter: the answer is written once the record is in, or with the error that
    // kept it out.
    void this.record(error, host).then(
      () => this.problems.catch(error, host),
      (recordError: unknown) => this.problems.catch(recordError, host),
    );
  }

  private async record(error: unknown, host: ArgumentsHost): Promise<void> {
    const req = host.switchToHttp().getRequest<AuthenticatedRequest & Request>();
    const caller = req.user;
    const reason = problemForError(error).code;
    if (!caller || req.method !== 'POST' || !REFUSALS.has(reason)) return;
    const raw = req.params?.['id'];
    const breachId = typeof raw === 'string' && UUID.test(raw) ? raw.toLowerCase() : undefined;
    const route = `${req.method} ${String((req.route as { path?: unknown } | undefined)?.path ?? req.path)}`;
    const orgIds = breachId === undefined ? [] : await this.reporterFor(breachId, caller.orgId);
    const meta = eventMetaFor(caller, req, this.clock);
    await this.runner.run(
      userStreamId(caller.userId),
      userDecider,
      {
        type: 'RecordBreachRefusal',
        data: { route, reason, ...(breachId ? { breachId } : {}), orgIds },
        metadata: { now: new Date(meta.occurredAt) },
      },
      meta,
      { key: undefined, scope: '' },
      // A refusal changes no state: tried until it is in, as the other refusals are (RECORD_ATTEMPTS).
      RECORD_ATTEMPTS,
    );
  }

  /** The breach's reporter, when the caller's organisation is involved in the breach and is not it. */
  private async reporterFor(breachId: string, orgId: string | null): Promise<string[]> {
    if (orgId === null) return [];
    const state = fold(breachDecider, await this.store.readStream(breachStreamId(breachId)));
    if (state.status === 'none' || !isInvolvedIn(state, orgId) || state.reportedBy === orgId) return [];
    return [state.reportedBy];
  }
}
