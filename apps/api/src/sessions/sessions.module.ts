import { Module } from '@nestjs/common';
import { TeamDirectory } from '../organisations/team-directory';
import { SessionViews } from './session-views';
import { SessionsController } from './sessions.controller';

/** POST, GET and DELETE /session; the sessions themselves belong to the auth module (its guard reads them). */
@Module({
  controllers: [SessionsController],
  providers: [SessionViews, TeamDirectory],
})
export class SessionsModule {}
