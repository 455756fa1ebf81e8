import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, UseFilters } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Clock, Idempotency, IdempotencyKey } from '@accord/platform';
import { BreachRefusalFilter } from './breach-refusal.filter';
import { type Caller, CurrentUser, Roles } from '../auth';
import { ApiProblems } from '../shared/api-problem.decorator';
import { breachContext, BreachIdPipe, BreachWrite } from './breach-http';
import { ListBreachesQueryDto, ReportBreachDto } from './breach-requests.dto';
import { BreachDetailDto, BreachListDto } from './breach-responses.dto';
import { ReportBreachCommand } from './breach.commands';
import { GetBreachQuery, ListBreachesQuery } from './breach.queries';

@ApiTags('breaches')
@Controller('breaches')
@UseFilters(BreachRefusalFilter)
export class BreachesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly clock: Clock,
  ) {}

  @Post()
  @HttpCode(201)
  @Roles('ig-lead', 'practitioner')
  @ApiOperation({
    operationId: 'reportBreach',
    summary:
      'Report a breach or near miss; the IG leads of every party of the agreement are notified at once',
  })
  @ApiCreatedResponse({ type: BreachDetailDto })
  @BreachWrite([
    422,
    'breach.discovered-in-future, breach.discovered-at-invalid, breach.description-required, ' +
      'breach.data-category-invalid, breach.agreement-not-found, breach.document-unknown, ...',
  ])
  report(
    @Body() body: ReportBreachDto,
    @CurrentUser() caller: Caller,
    @IdempotencyKey() idempotency: Idempotency,
    @Req() req: Request,
  ): Promise<BreachDetailDto> {
    return this.commands.execute(
      new ReportBreachCommand(body, caller, breachContext(caller, req, this.clock, idempotency)),
    );
  }

  @Get()
  @Roles('ig-lead', 'practitioner')
  @ApiOperation({
    operationId: 'listBreaches',
    summary: "The caller's organisation's breaches with ICO deadline and time left (?overdue=true: past 72h)",
  })
  @ApiOkResponse({ type: BreachListDto })
  @ApiProblems(400, 403)
  list(@CurrentUser() caller: Caller, @Query() query: ListBreachesQueryDto): Promise<BreachListDto> {
    return this.queries.execute(new ListBreachesQuery(caller, query.overdue === 'true'));
  }

  @Get(':id')
  @Roles('ig-lead', 'practitioner')
  @ApiOperation({
    operationId: 'getBreach',
    summary: 'A breach, its assessment, ICO deadline, time left and notifications',
  })
  @ApiOkResponse({ type: BreachDetailDto })
  @ApiProblems(403, 404)
  get(@CurrentUser() caller: Caller, @Param('id', BreachIdPipe) id: string): Promise<BreachDetailDto> {
    return this.queries.execute(new GetBreachQuery(caller, id));
  }
}
