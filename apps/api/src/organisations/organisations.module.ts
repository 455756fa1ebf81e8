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

/** The directory's organisations and their OpenPGP keys. */
@Module({
  controllers: [OrganisationsController, OrganisationKeysController],
  providers: [
    SettledCommandRunner,
    RegisterOrganisationHandler,
    AddOrganisationKeyHandler,
    RevokeOrganisationKeyHandler,
    ListOrganisationsHandler,
    GetOrganisationHandler,
    ListOrganisationKeysHandler,
  ],
})
export class OrganisationsModule {}
