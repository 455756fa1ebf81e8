import { Module } from '@nestjs/common';
import { NotificationsController } from './notifications.controller';

/** Each organisation's inbox: a read model fed by events, plus review reminders computed at read time. */
@Module({ controllers: [NotificationsController] })
export class NotificationsModule {}
