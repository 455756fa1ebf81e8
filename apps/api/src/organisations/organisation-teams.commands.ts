import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import {
  fail,
  OrganisationCommand,
  organisationDecider,
  organisationStreamId,
  teamsOf,
} from '@accord/domain';
import { uuidv5, type EventMetaInput } from '@accord/event-store';
import { IdGenerator, type Idempotency } from '@accord/platform';
import { DirectoryReadModel } from '@accord/projections';
import { SettledCommandRunner } from '../shared/settled-command.runner';
import type { TeamDto } from './organisation-teams.dto';

type Idem = Pick<Idempotency, 'key' | 'scope'>;

/** One of the team commands of docs/architecture.md §24, on the organisation's stream. */
export type TeamRequest =
  | { kind: 'create'; name: string }
  | { kind: 'add-member'; teamId: string; userId: string }
  | { kind: 'remove-member'; teamId: string; userId: string }
  | { kind: 'set-default'; teamId: string | null };

export class TeamCommand extends Command<TeamDto | { defaultTeam: string | null }> {
  constructor(
    readonly orgId: string,
    readonly request: TeamRequest,
    readonly meta: EventMetaInput,
    readonly idempotency: Idem,
  ) {
    super();
  }
}

@CommandHandler(TeamCommand)
export class TeamCommandHandler implements ICommandHandler<TeamCommand> {
  constructor(
    private readonly runner: SettledCommandRunner,
    private readonly directory: DirectoryReadModel,
    private readonly ids: IdGenerator,
  ) {}

  async execute({
    orgId,
    request,
    meta,
    idempotency,
  }: TeamCommand): Promise<TeamDto | { defaultTeam: string | null }> {
    if (!this.directory.organisationExists(orgId)) throw fail('organisation.not-found');
    const metadata = { now: new Date(meta.occurredAt) };
    let command: OrganisationCommand;
    let teamId: string | null;
    switch (request.kind) {
      case 'create':
        // A retry with the same Idempotency-Key creates the same team.
        teamId =
          idempotency.key === undefined
            ? this.ids.newId()
            : uuidv5(`team|${idempotency.scope}|${idempotency.key}`);
        command = { type: 'CreateTeam', data: { teamId, name: request.name }, metadata };
        break;
      case 'add-member': {
        teamId = request.teamId;
        const user = this.directory.user(request.userId);
        command = {
          type: 'AddTeamMember',
          data: { teamId, userId: request.userId, memberOfOrganisation: user?.orgId === orgId },
          metadata,
        };
        break;
      }
      case 'remove-member':
        teamId = request.teamId;
        command = { type: 'RemoveTeamMember', data: { teamId, userId: request.userId }, metadata };
        break;
      case 'set-default':
        teamId = request.teamId;
        command = { type: 'SetDefaultReceivingTeam', data: { teamId }, metadata };
        break;
    }
    const outcome = await this.runner.run(
      organisationStreamId(orgId),
      organisationDecider,
      command,
      meta,
      idempotency,
    );
    const teams = teamsOf(outcome.state);
    if (request.kind === 'set-default') return { defaultTeam: teams.defaultTeam };
    const team = teamId === null ? undefined : teams.teams[teamId];
    if (!team || teamId === null) throw fail('team.not-found');
    return { id: teamId, name: team.name, members: [...team.members], default: teams.defaultTeam === teamId };
  }
}
