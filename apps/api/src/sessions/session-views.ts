import { Injectable } from '@nestjs/common';
import { DirectoryReadModel } from '@accord/projections';
import type { SessionContext } from '../auth';
import { TeamDirectory } from '../organisations/team-directory';
import { SessionDto } from './sessions.dto';

/** The session as the web app is told it: the CSRF token, the user with their organisation and teams. */
@Injectable()
export class SessionViews {
  constructor(
    private readonly directory: DirectoryReadModel,
    private readonly teams: TeamDirectory,
  ) {}

  async of(context: SessionContext): Promise<SessionDto> {
    const { caller, session } = context;
    const user = this.directory.user(caller.userId);
    const orgId = caller.orgId;
    const organisation = orgId === null ? undefined : this.directory.organisation(orgId);
    const teams = orgId === null ? undefined : await this.teams.teams(orgId);
    return {
      csrfToken: context.csrfToken,
      user: {
        id: caller.userId,
        name: user?.name ?? '',
        role: caller.role,
        organisationId: orgId,
        organisationName: organisation?.name ?? null,
        accessAgreementVersion: caller.accessAgreementVersion,
        ...(teams
          ? {
              teams: Object.entries(teams.teams)
                .filter(([, t]) => t.members.includes(caller.userId))
                .map(([id, t]) => ({ id, name: t.name })),
            }
          : {}),
      },
      idleExpiresAt: session.idleExpiresAt,
      absoluteExpiresAt: session.absoluteExpiresAt,
    };
  }
}
