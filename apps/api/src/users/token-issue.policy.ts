import { Injectable } from '@nestjs/common';
import { fail, organisationDecider, organisationStreamId } from '@accord/domain';
import { type EventMetaInput, uuidv5 } from '@accord/event-store';
import { RECORD_ATTEMPTS, ReadYourWrites } from '@accord/platform';
import { DirectoryReadModel } from '@accord/projections';
import type { Caller } from '../auth';
import { SettledCommandRunner } from '../shared/settled-command.runner';

/**
 * Who may obtain a token for a user of a partner organisation (issue 12; docs/architecture.md). A token is
 * shown once, to whoever asked for it: so whoever asks must be someone entitled to hold what it opens.
 * - The platform admin operates the platform and never reads content. It may enrol a partner organisation's
 *   first IG lead only (the bootstrap: while the organisation has no active IG lead), and that token is an
 *   enrolment token (the guard lets it do nothing but exchange itself for the holder's own). It never
 *   enrols anyone else into a partner organisation, and never issues a partner user a token.
 * - An organisation's IG leads enrol its users and issue their tokens; a user issues their own.
 * Each refusal is a 403 `user.token-issuer-not-permitted` and a TokenIssueRefused on the organisation's
 * stream, which its IG leads see in their organisation's audit history.
 */
@Injectable()
export class TokenIssuePolicy {
  constructor(
    private readonly runner: SettledCommandRunner,
    private readonly directory: DirectoryReadModel,
    private readonly readYourWrites: ReadYourWrites,
  ) {}

  /** An enrolment (POST /organisations/:org/users) of `role` into partner organisation `orgId`. */
  async assertMayEnrol(caller: Caller, orgId: string, role: string, meta: EventMetaInput): Promise<void> {
    if (caller.role !== 'admin') return;
    if (role !== 'ig-lead')
      return this.refuse(orgId, { reason: 'admin-enrols-first-ig-lead-only', role }, meta);
    // Up to the log's head first: another api node's enrolment is then seen here, or it is raced and meets
    // this one on the same user stream (firstIgLeadId counts from the same directory).
    await this.readYourWrites.catchUp();
    const leads = this.directory.users(orgId).filter((u) => u.role === 'ig-lead' && u.status === 'active');
    if (leads.length > 0) return this.refuseSecondIgLead(orgId, role, meta);
  }

  /**
   * The user id of the first IG lead the admin enrols into `orgId`: one id for every request that finds the
   * organisation without an active IG lead. The check above reads the read model and locks nothing, so
   * enrolments raced past it together; with one id between them the user stream admits one enrolment and
   * the others fail as already enrolled, which the caller turns into refuseSecondIgLead. The count of IG
   * leads the organisation ever had is in the id, so a new bootstrap after its leads were suspended gets
   * a fresh one.
   */
  firstIgLeadId(orgId: string): string {
    const ever = this.directory.users(orgId).filter((u) => u.role === 'ig-lead').length;
    return uuidv5(`first-ig-lead|${orgId}|${ever}`);
  }

  /** The admin enrolling an IG lead into an organisation that has one (or got one meanwhile). */
  refuseSecondIgLead(orgId: string, role: string, meta: EventMetaInput): Promise<never> {
    return this.refuse(orgId, { reason: 'organisation-has-an-ig-lead', role }, meta);
  }

  /** A new token (POST /users/:id/tokens) for `target`, a user of partner organisation `orgId`. */
  async assertMayIssue(caller: Caller, target: { id: string; orgId: string | null }, meta: EventMetaInput) {
    if (caller.role !== 'admin' || target.orgId === null || caller.userId === target.id) return;
    return this.refuse(target.orgId, { reason: 'admin-issues-partner-token', userId: target.id }, meta);
  }

  private async refuse(
    orgId: string,
    data: { reason: string; userId?: string; role?: string },
    meta: EventMetaInput,
  ): Promise<never> {
    // The refusal must be on the record even when several land at once (racing enrolments, above): the
    // runner's default three attempts end in a 409 with nothing recorded. A refusal changes no state, and
    // every lost race is another writer's append landing, so it is tried until it is in, as opens are (§30.1).
    if (this.directory.organisationExists(orgId)) {
      await this.runner.run(
        organisationStreamId(orgId),
        organisationDecider,
        { type: 'RecordTokenIssueRefusal', data, metadata: { now: new Date(meta.occurredAt) } },
        meta,
        { key: undefined, scope: '' },
        RECORD_ATTEMPTS,
      );
    }
    throw fail('user.token-issuer-not-permitted');
  }
}
