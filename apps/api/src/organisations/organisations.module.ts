import { Module } from '@nestjs/common';
import { SettledCommandRunner } from '../shared/settled-command.runner';
import {
  AddOrganisationKeyHandler,
  RegisterOrganisationHandler,
  RevokeOrganisationKeyHandler,
} from './organisation.commands';
import {
  GetOrganisationHandler,
  ListOrganisationKeysHandler,
  ListOrganisationsHandler,
} from './organisation.queries';
import { OrganisationKeysController } from './organisation-keys.controller';
import { OrganisationsController } from './organisations.controller';
import { TeamCommandHandler } from './organisation-teams.commands';
import { OrganisationTeamsController } from './organisation-teams.controller';
import { TeamDirectory } from './team-directory';

/** The directory's organisations and their OpenPGP keys. */
@Module({
  controllers: [OrganisationsController, OrganisationKeysController, OrganisationTeamsController],
  providers: [
    SettledCommandRunner,
    RegisterOrganisationHandler,
    AddOrganisationKeyHandler,
    RevokeOrganisationKeyHandler,
    ListOrganisationsHandler,
    GetOrganisationHandler,
    ListOrganisationKeysHandler,
    TeamDirectory,
    TeamCommandHandler,
  ],
})
export class OrganisationsModule {}
