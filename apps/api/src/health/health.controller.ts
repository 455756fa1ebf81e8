import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  ACCORD_CONFIG,
  HealthReport,
  HealthService,
  type LoadedConfig,
  PROBLEM_CONTENT_TYPE,
  problemType,
  readinessOf,
} from '@accord/platform';
import { Public } from '../auth';
import { ApiProblem, ApiPublicRoute } from '../shared/api-problem.decorator';
import { HealthDto, LiveDto, ReadyDto } from './health.dto';

@ApiTags('operations')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthService,
    @Inject(ACCORD_CONFIG) private readonly config: LoadedConfig,
  ) {}

  @Get()
  @ApiOperation({
    operationId: 'getHealth',
    summary: 'State of each port of this node (public; no personal data).',
  })
  @ApiPublicRoute()
  @ApiOkResponse({ type: HealthDto, description: 'Every port is healthy.' })
  @ApiServiceUnavailableResponse({
    type: HealthDto,
    description: 'Degraded: a load balancer should stop sending traffic here.',
  })
  async check(@Res({ passthrough: true }) res: Response): Promise<HealthReport> {
    const report = await this.health.check();
    res.status(report.status === 'ok' ? 200 : 503);
    res.setHeader('Cache-Control', 'no-store');
    return report;
  }

  @Get('live')
  @ApiPublicRoute()
  @ApiOperation({
    operationId: 'getLiveness',
    summary:
      'Liveness: the process is up and answering (public). Checks no port: a restart would not fix one.',
  })
  @ApiOkResponse({ type: LiveDto })
  live(@Res({ passthrough: true }) res: Response): LiveDto {
    res.setHeader('Cache-Control', 'no-store');
    return { status: 'live' };
  }

  @Get('ready')
  @ApiPublicRoute()
  @ApiOperation({
    operationId: 'getReadiness',
    summary:
      'Readiness: every port healthy and the read models within READY_MAX_LAG of the head (public; no personal data).',
  })
  @ApiOkResponse({ type: ReadyDto })
  @ApiProblem(503, 'Not ready (health.not-ready): the extension member `reasons` names each failed check.')
  async ready(@Res({ passthrough: true }) res: Response): Promise<ReadyDto | void> {
    const readiness = readinessOf(await this.health.check(), this.config.health.readyMaxLag);
    res.setHeader('Cache-Control', 'no-store');
    if (readiness.ready) return { status: 'ready', readModels: readiness.readModels };
    // Rendered here rather than thrown: the exception filter treats a 503 as a server fault, logs it with a
    // stack and hides the detail, which suits a crash but not a probe asked every few seconds.
    res
      .status(503)
      .type(PROBLEM_CONTENT_TYPE)
      .send(
        JSON.stringify({
          type: problemType('health.not-ready'),
          title: 'Not ready',
          status: 503,
          detail: `This node should not take traffic yet: ${readiness.reasons.join(', ')}.`,
          instance: '/health/ready',
          correlationId: String(res.locals.correlationId ?? 'none'),
          reasons: readiness.reasons,
          readModels: readiness.readModels,
        }),
      );
  }
}
