import { Module } from '@nestjs/common';
import { EmailDispatcher } from './email-dispatcher';
import { EmailSender } from './email-sender';
import { TeamDirectory } from '../organisations/team-directory';
import { InboxController } from './inbox.controller';

/** Each user's inbox, and the email dispatcher that sends the outbox when SMTP is configured (docs/architecture.md §27). */
@Module({
  controllers: [InboxController],
  providers: [EmailSender, EmailDispatcher, TeamDirectory],
  exports: [EmailDispatcher],
})
export class InboxModule {}
