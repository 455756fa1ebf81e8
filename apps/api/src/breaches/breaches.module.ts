import { Module } from '@nestjs/common';
import { SettledCommandRunner } from '../shared/settled-command.runner';
import { BreachActionsController } from './breach-actions.controller';
import { ContainBreachHandler } from './breach-containment.handler';
import {
  AssessBreachHandler,
  CloseBreachHandler,
  RecordIcoNotificationHandler,
  RecordSubjectNotificationHandler,
  ReportBreachHandler,
} from './breach.handlers';
import { GetBreachHandler, ListBreachesHandler } from './breach.queries';
import { BreachWriter } from './breach-writer';
import { BreachesController } from './breaches.controller';

/**
 * Personal data breaches: report, notify partners, assess, notify the ICO and data subjects, contain (through
 * the users' and organisations' own commands), close.
 */
@Module({
  controllers: [BreachesController, BreachActionsController],
  providers: [
    SettledCommandRunner,
    BreachWriter,
    ReportBreachHandler,
    AssessBreachHandler,
    RecordIcoNotificationHandler,
    RecordSubjectNotificationHandler,
    CloseBreachHandler,
    ContainBreachHandler,
    ListBreachesHandler,
    GetBreachHandler,
  ],
})
export class BreachesModule {}
