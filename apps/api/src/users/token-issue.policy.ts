import { Injectable } from '@nestjs/common';
import { fail, organisationDecider, organisationStreamId } from '@accord/domain';
import type { EventMetaInput } from '@accord/event-store';
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
  ) {}

  /** An enrolment (POST /organisations/:org/users) of `role` into partner organisation `orgId`. */
  async assertMayEnrol(caller: Caller, orgId: string, role: string, meta: EventMetaInput): Promise<void> {
    if (caller.role !== 'admin') return;
    if (role !== 'ig-lead')
      return this.refuse(orgId, { reason: 'admin-enrols-first-ig-lead-only', role }, meta);
    const leads = this.directory.users(orgId).filter((u) => u.role === 'ig-lead' && u.status === 'active');
    if (leads.length > 0) return this.refuse(orgId, { reason: 'organisation-has-an-ig-lead', role }, meta);
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
    if (this.directory.organisationExists(orgId)) {
      await this.runner.run(
        organisationStreamId(orgId),
        organisationDecider,
        { type: 'RecordTokenIssueRefusal', data, metadata: { now: new Date(meta.occurredAt) } },
        meta,
        { key: undefined, scope: '' },
      );
    }
    throw fail('user.token-issuer-not-permitted');
  }
}
