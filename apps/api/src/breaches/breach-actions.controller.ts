import { Body, Controller, HttpCode, Param, Post, Req, UseFilters } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Clock, Idempotency, IdempotencyKey } from '@accord/platform';
import { BreachRefusalFilter } from './breach-refusal.filter';
import { type Caller, CurrentUser, Roles } from '../auth';
import { breachContext, BreachIdPipe, BreachWrite } from './breach-http';
import {
  AssessBreachDto,
  CloseBreachDto,
  ContainmentDto,
  IcoNotificationDto,
  SubjectNotificationDto,
} from './breach-requests.dto';
import { BreachDetailDto } from './breach-responses.dto';
import {
  AssessBreachCommand,
  CloseBreachCommand,
  ContainBreachCommand,
  RecordIcoNotificationCommand,
  RecordSubjectNotificationCommand,
} from './breach.commands';

/**
 * What the reporting organisation's IG lead records as the breach is handled, and the containment the IG lead
 * of any organisation involved carries out on its own side.
 */
@ApiTags('breaches')
@Controller('breaches/:id')
@UseFilters(BreachRefusalFilter)
@Roles('ig-lead')
export class BreachActionsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly clock: Clock,
  ) {}

  @Post('assessment')
  @HttpCode(201)
  @ApiOperation({
    operationId: 'assessBreach',
    summary: 'Record whether the ICO must be told; if so the deadline is discovery + 72 hours',
  })
  @ApiCreatedResponse({ type: BreachDetailDto })
  @BreachWrite([409, 'breach.already-assessed, breach.closed'], [422, 'breach.rationale-required'])
  assess(
    @Param('id', BreachIdPipe) id: string,
    @Body() body: AssessBreachDto,
    @CurrentUser() caller: Caller,
    @IdempotencyKey() idem: Idempotency,
    @Req() req: Request,
  ): Promise<BreachDetailDto> {
    return this.commands.execute(
      new AssessBreachCommand(id, body, caller, breachContext(caller, req, this.clock, idem)),
    );
  }

  @Post('ico-notification')
  @HttpCode(201)
  @ApiOperation({
    operationId: 'recordIcoNotification',
    summary: 'Record that the ICO was notified (UK GDPR Art 33), with its reference',
  })
  @ApiCreatedResponse({ type: BreachDetailDto })
  @BreachWrite(
    [409, 'breach.not-assessed, breach.not-reportable, breach.ico-already-notified, breach.closed'],
    [422, 'breach.ico-reference-required, breach.notified-at-invalid'],
  )
  notifyIco(
    @Param('id', BreachIdPipe) id: string,
    @Body() body: IcoNotificationDto,
    @CurrentUser() caller: Caller,
    @IdempotencyKey() idem: Idempotency,
    @Req() req: Request,
  ): Promise<BreachDetailDto> {
    return this.commands.execute(
      new RecordIcoNotificationCommand(id, body, caller, breachContext(caller, req, this.clock, idem)),
    );
  }

  @Post('subject-notification')
  @HttpCode(201)
  @ApiOperation({
    operationId: 'recordSubjectNotification',
    summary: 'Record that the data subjects were told (UK GDPR Art 34)',
  })
  @ApiCreatedResponse({ type: BreachDetailDto })
  @BreachWrite(
    [409, 'breach.not-assessed, breach.subjects-already-notified, breach.closed'],
    [422, 'breach.notified-at-invalid'],
  )
  notifySubjects(
    @Param('id', BreachIdPipe) id: string,
    @Body() body: SubjectNotificationDto,
    @CurrentUser() caller: Caller,
    @IdempotencyKey() idem: Idempotency,
    @Req() req: Request,
  ): Promise<BreachDetailDto> {
    return this.commands.execute(
      new RecordSubjectNotificationCommand(id, body, caller, breachContext(caller, req, this.clock, idem)),
    );
  }

  @Post('closure')
  @HttpCode(201)
  @ApiOperation({
    operationId: 'closeBreach',
    summary: 'Close the breach with its outcome and lessons learned',
  })
  @ApiCreatedResponse({ type: BreachDetailDto })
  @BreachWrite(
    [409, 'breach.not-assessed, breach.ico-notification-outstanding, breach.closed'],
    [422, 'breach.outcome-required'],
  )
  close(
    @Param('id', BreachIdPipe) id: string,
    @Body() body: CloseBreachDto,
    @CurrentUser() caller: Caller,
    @IdempotencyKey() idem: Idempotency,
    @Req() req: Request,
  ): Promise<BreachDetailDto> {
    return this.commands.execute(
      new CloseBreachCommand(id, body, caller, breachContext(caller, req, this.clock, idem)),
    );
  }

  @Post('containment')
  @HttpCode(201)
  @ApiOperation({
    operationId: 'containBreach',
    summary: "Contain the caller's own organisation: suspend one of its users or revoke one of its keys",
    description:
      'Recorded on the breach (IG lead of any organisation involved). 403 auth.other-organisation for a user of ' +
      'another organisation; 404 user.not-found or organisation.key-not-found for an unknown target',
  })
  @ApiCreatedResponse({ type: BreachDetailDto })
  @BreachWrite(
    [409, 'breach.closed'],
    [
      422,
      'breach.containment-reason-required, breach.containment-target-invalid, ' +
        'organisation.revocation-reason-required, user.reason-required',
    ],
  )
  contain(
    @Param('id', BreachIdPipe) id: string,
    @Body() body: ContainmentDto,
    @CurrentUser() caller: Caller,
    @IdempotencyKey() idem: Idempotency,
    @Req() req: Request,
  ): Promise<BreachDetailDto> {
    return this.commands.execute(
      new ContainBreachCommand(id, body, caller, breachContext(caller, req, this.clock, idem)),
    );
  }
}
