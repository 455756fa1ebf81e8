import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { HealthReport, HealthService } from '@accord/platform';
import { Public } from '../auth';
import { ApiPublicRoute } from '../shared/api-problem.decorator';
import { HealthDto } from './health.dto';

@ApiTags('operations')
@Public()
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

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
}
