import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { fail } from '@accord/domain';
import { Clock } from '@accord/platform';
import { DirectoryReadModel } from '@accord/projections';
import type { OrganisationDto, OrganisationKeyListDto, OrganisationListDto } from './organisations.dto';
import { keyView, organisationView } from './organisation.views';

export class ListOrganisationsQuery extends Query<OrganisationListDto> {}

export class GetOrganisationQuery extends Query<OrganisationDto> {
  constructor(readonly orgId: string) {
    super();
  }
}

export class ListOrganisationKeysQuery extends Query<OrganisationKeyListDto> {
  constructor(readonly orgId: string) {
    super();
  }
}

@QueryHandler(ListOrganisationsQuery)
export class ListOrganisationsHandler implements IQueryHandler<ListOrganisationsQuery> {
  constructor(private readonly directory: DirectoryReadModel) {}

  async execute(): Promise<OrganisationListDto> {
    return { items: this.directory.organisations().map(organisationView) };
  }
}

@QueryHandler(GetOrganisationQuery)
export class GetOrganisationHandler implements IQueryHandler<GetOrganisationQuery> {
  constructor(private readonly directory: DirectoryReadModel) {}

  async execute({ orgId }: GetOrganisationQuery): Promise<OrganisationDto> {
    const organisation = this.directory.organisation(orgId);
    if (!organisation) throw fail('organisation.not-found');
    return organisationView(organisation);
  }
}

@QueryHandler(ListOrganisationKeysQuery)
export class ListOrganisationKeysHandler implements IQueryHandler<ListOrganisationKeysQuery> {
  constructor(
    private readonly directory: DirectoryReadModel,
    private readonly clock: Clock,
  ) {}

  async execute({ orgId }: ListOrganisationKeysQuery): Promise<OrganisationKeyListDto> {
    if (!this.directory.organisationExists(orgId)) throw fail('organisation.not-found');
    const now = this.clock.now();
    return { items: this.directory.keys(orgId).map((k) => keyView(k, now)) };
  }
}
