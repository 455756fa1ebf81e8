import { ArgumentsHost, Catch, ExceptionFilter, Inject } from '@nestjs/common';
import type { Request } from 'express';
import { userDecider, userStreamId } from '@accord/domain';
import { EVENT_STORE, EventStore } from '@accord/event-store';
import { AppLogger, Clock, ProblemDetailsFilter, problemForError, RECORD_ATTEMPTS } from '@accord/platform';
import { AuthenticatedRequest, eventMetaFor } from '../auth';
import { SettledCommandRunner } from './settled-command.runner';

/**
 * The answers that refuse a caller an action, as opposed to a mistake in the request (422) or the state of
 * what it acts on (409): the caller's role or organisation, a breach or agreement the caller's organisation
 * has no part in (a 404 answers a breach it is not involved in, the same as one that does not exist),
 * documents that are not its own, a containment target of another organisation.
 */
const REFUSALS: ReadonlySet<string> = new Set([
  'auth.forbidden-role',
  'auth.other-organisation',
  'breach.not-reporter',
  'breach.not-a-party',
  'breach.not-found',
  'breach.document-unknown',
  'agreement.not-a-party',
  'subject-request.not-sender',
]);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Every refused action is an immutable event (README: "every ... denial"). Refused shares, opens and reads
 * of documents are recorded by their commands (AccessDenied); an action refused on a breach, an agreement
 * or a subject request is recorded here, bound to those controllers, because the role refusal comes from the
 * global guard before any handler runs. It records `ActionRefused` on the refused user's stream, then
 * answers through the one ProblemDetailsFilter. If the record cannot be written, the request fails with that
 * error (a 503 when the store is down), never answering a refusal that left no trace. Reads (GET) are not
 * actions and are not recorded.
 */
@Catch()
export class RefusalRecordingFilter implements ExceptionFilter {
  private readonly problems: ProblemDetailsFilter;

  constructor(
    @Inject(EVENT_STORE) protected readonly store: EventStore,
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

  /**
   * The organisations besides the caller's own whose audit readers see a refusal on `resourceId`: none by
   * default, so that an outsider's attempt tells nobody anything the answer did not.
   */
  protected involved(_resourceId: string, _orgId: string | null): Promise<string[]> {
    return Promise.resolve([]);
  }

  private async record(error: unknown, host: ArgumentsHost): Promise<void> {
    const req = host.switchToHttp().getRequest<AuthenticatedRequest & Request>();
    const caller = req.user;
    const reason = problemForError(error).code;
    if (!caller || req.method === 'GET' || req.method === 'HEAD' || !REFUSALS.has(reason)) return;
    const raw = req.params?.['id'];
    const resourceId = typeof raw === 'string' && UUID.test(raw) ? raw.toLowerCase() : undefined;
    const route = `${req.method} ${String((req.route as { path?: unknown } | undefined)?.path ?? req.path)}`;
    const orgIds = resourceId === undefined ? [] : await this.involved(resourceId, caller.orgId);
    const meta = eventMetaFor(caller, req, this.clock);
    await this.runner.run(
      userStreamId(caller.userId),
      userDecider,
      {
        type: 'RecordRefusal',
        data: { route, reason, ...(resourceId ? { resourceId } : {}), orgIds },
        metadata: { now: new Date(meta.occurredAt) },
      },
      meta,
      { key: undefined, scope: '' },
      // A refusal changes no state: tried until it is in, as the other refusals are (RECORD_ATTEMPTS).
      RECORD_ATTEMPTS,
    );
  }
}
