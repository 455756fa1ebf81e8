import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { uuidv5 } from '@accord/event-store';
import { IdGenerator } from '@accord/platform';
import {
  AssessBreachCommand,
  CloseBreachCommand,
  RecordIcoNotificationCommand,
  RecordSubjectNotificationCommand,
  ReportBreachCommand,
} from './breach.commands';
import type { BreachDetailDto } from './breach-responses.dto';
import { BreachWriter } from './breach-writer';

/** POST /breaches: the report and the partners' notification land together, in one append. */
@CommandHandler(ReportBreachCommand)
export class ReportBreachHandler implements ICommandHandler<ReportBreachCommand> {
  constructor(
    private readonly writer: BreachWriter,
    private readonly ids: IdGenerator,
  ) {}

  async execute(command: ReportBreachCommand): Promise<BreachDetailDto> {
    const { body, context } = command;
    const agreementId = body.agreementId?.trim() || undefined;
    const parties = agreementId === undefined ? undefined : await this.writer.partiesOf(agreementId);
    const knownDocumentIds = await this.writer.documentsOf(command.orgId, body.documentIds ?? []);
    const { key, scope } = context.idempotency;
    // A retried report must land on the same stream for the store to recognise the retry.
    const id = key === undefined ? this.ids.newId() : uuidv5(`breach|${scope}|${key}`);
    return this.writer.execute(
      id,
      {
        type: 'ReportBreach',
        data: {
          ...body,
          orgId: command.orgId,
          agreementId,
          knownDocumentIds,
          ...(parties ? { parties } : {}),
        },
        metadata: { now: command.now },
      },
      context,
    );
  }
}

@CommandHandler(AssessBreachCommand)
export class AssessBreachHandler implements ICommandHandler<AssessBreachCommand> {
  constructor(private readonly writer: BreachWriter) {}

  execute(c: AssessBreachCommand): Promise<BreachDetailDto> {
    const { icoReportable, rationale } = c.body;
    return this.writer.execute(
      c.breachId,
      { type: 'AssessBreach', data: { orgId: c.orgId, icoReportable, rationale }, metadata: { now: c.now } },
      c.context,
    );
  }
}

@CommandHandler(RecordIcoNotificationCommand)
export class RecordIcoNotificationHandler implements ICommandHandler<RecordIcoNotificationCommand> {
  constructor(private readonly writer: BreachWriter) {}

  execute(c: RecordIcoNotificationCommand): Promise<BreachDetailDto> {
    return this.writer.execute(
      c.breachId,
      { type: 'RecordIcoNotification', data: { orgId: c.orgId, ...c.body }, metadata: { now: c.now } },
      c.context,
    );
  }
}

@CommandHandler(RecordSubjectNotificationCommand)
export class RecordSubjectNotificationHandler implements ICommandHandler<RecordSubjectNotificationCommand> {
  constructor(private readonly writer: BreachWriter) {}

  execute(c: RecordSubjectNotificationCommand): Promise<BreachDetailDto> {
    return this.writer.execute(
      c.breachId,
      { type: 'RecordSubjectNotification', data: { orgId: c.orgId, ...c.body }, metadata: { now: c.now } },
      c.context,
    );
  }
}

@CommandHandler(CloseBreachCommand)
export class CloseBreachHandler implements ICommandHandler<CloseBreachCommand> {
  constructor(private readonly writer: BreachWriter) {}

  execute(c: CloseBreachCommand): Promise<BreachDetailDto> {
    const { outcome, lessons } = c.body;
    return this.writer.execute(
      c.breachId,
      { type: 'CloseBreach', data: { orgId: c.orgId, outcome, lessons }, metadata: { now: c.now } },
      c.context,
    );
  }
}
