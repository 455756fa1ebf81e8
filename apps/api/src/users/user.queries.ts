import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { ACCESS_AGREEMENT, ACCESS_AGREEMENT_VERSION, fail } from '@accord/domain';
import { DirectoryReadModel, PLATFORM_ORGANISATION_ID } from '@accord/projections';
import { assertOwnOrganisation, Caller, forbiddenRole } from '../auth';
import { organisationView } from '../organisations/organisation.views';
import { userView } from './user.views';
import type { MeDto, UserListDto } from './users.dto';

export class ListUsersQuery extends Query<UserListDto> {
  constructor(
    readonly caller: Caller,
    readonly orgId: string,
  ) {
    super();
  }
}

export class MeQuery extends Query<MeDto> {
  constructor(readonly caller: Caller) {
    super();
  }
}

/** Users are personal data: only the admin and the organisation's own IG lead list them. */
@QueryHandler(ListUsersQuery)
export class ListUsersHandler implements IQueryHandler<ListUsersQuery> {
  constructor(private readonly directory: DirectoryReadModel) {}

  async execute({ caller, orgId }: ListUsersQuery): Promise<UserListDto> {
    assertOwnOrganisation(caller, orgId, { allowAdmin: true });
    if (orgId === PLATFORM_ORGANISATION_ID) {
      if (caller.role !== 'admin') throw forbiddenRole(['admin']);
      return { items: this.directory.users(null).map(userView) };
    }
    if (!this.directory.organisationExists(orgId)) throw fail('organisation.not-found');
    return { items: this.directory.users(orgId).map(userView) };
  }
}

@QueryHandler(MeQuery)
export class MeHandler implements IQueryHandler<MeQuery> {
  constructor(private readonly directory: DirectoryReadModel) {}

  async execute({ caller }: MeQuery): Promise<MeDto> {
    const user = this.directory.user(caller.userId);
    if (!user) throw fail('user.not-found');
    const organisation = user.orgId === null ? undefined : this.directory.organisation(user.orgId);
    return {
      user: userView(user),
      organisation: organisation ? organisationView(organisation) : null,
      accessAgreement: {
        currentVersion: ACCESS_AGREEMENT_VERSION,
        acceptedVersion: user.accessAgreementVersion,
        accepted: user.accessAgreementVersion === ACCESS_AGREEMENT_VERSION,
        title: ACCESS_AGREEMENT.title,
        terms: [...ACCESS_AGREEMENT.terms],
      },
    };
  }
}
