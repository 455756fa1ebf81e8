import { Inject, Injectable } from '@nestjs/common';
import {
  OrganisationCommand,
  organisationDecider,
  OrganisationEvent,
  OrganisationState,
  organisationStreamId,
  OrganisationTeams,
  teamsOf,
  teamsOfUser,
} from '@accord/domain';
import { EVENT_STORE, EventStore } from '@accord/event-store';
import { StreamFolds } from '@accord/platform';

/**
 * Teams as the share and open decisions need them (docs/architecture.md §24), folded from the organisation's
 * stream on the event store, never a read model: a member removed a moment ago must not open.
 */
@Injectable()
export class TeamDirectory {
  /** Read on every open and share: each read takes only the events since the last one (StreamFolds). */
  private readonly organisations: StreamFolds<OrganisationState, OrganisationCommand, OrganisationEvent>;

  constructor(@Inject(EVENT_STORE) store: EventStore) {
    this.organisations = new StreamFolds(store, organisationDecider);
  }

  async organisation(orgId: string): Promise<OrganisationState> {
    return (await this.organisations.current(organisationStreamId(orgId))).state;
  }

  async teams(orgId: string): Promise<OrganisationTeams> {
    return teamsOf(await this.organisation(orgId));
  }

  /**
   * The log position of the organisation's last event, read on the event store: a read model that folds team
   * membership (the inbox's) is as fresh as membership once it has reached it.
   */
  async lastPosition(orgId: string): Promise<number> {
    return (await this.organisations.current(organisationStreamId(orgId))).position;
  }

  /** The teams of `orgId` that `userId` belongs to now; none for the platform's own users. */
  async teamsOfUser(orgId: string | null, userId: string): Promise<string[]> {
    if (orgId === null) return [];
    return teamsOfUser(await this.teams(orgId), userId);
  }
}
