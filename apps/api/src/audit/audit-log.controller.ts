import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { EVENT_STORE, EventStore } from '@accord/event-store';
import { type Caller, CurrentUser, RequiresAccessAgreement, Roles } from '../auth';
import { ApiProblems } from '../shared/api-problem.decorator';
import { AuditCuts } from './audit-cut';
import { AuditIntegrity } from './audit-integrity.service';
import { AuditLogExporter } from './audit-log.exporter';
import { IntegrityReportDto } from './audit-reports.dto';
import { auditScopeOf, scopeName } from './audit-scope';
import { EventsQueryDto } from './audit.dto';

export const NDJSON_CONTENT_TYPE = 'application/x-ndjson';

/** The raw log and its integrity: for auditors only (an IG lead reads histories, not the log). */
@ApiTags('audit')
@Controller('audit')
@RequiresAccessAgreement()
@Roles('auditor')
export class AuditLogController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly cuts: AuditCuts,
    private readonly exporter: AuditLogExporter,
    private readonly integrity: AuditIntegrity,
  ) {}

  @Get('events')
  @ApiOperation({
    operationId: 'exportAuditEvents',
    summary: 'The raw event log as NDJSON, one self-contained envelope per line',
    description:
      'Each line: eventId, type, streamId, revision, position, data, meta. ' +
      'resumable from any position with `after`. A platform auditor gets every event; an organisation’s auditor the events that involved their organisation. ' +
      'Headers: x-accord-log-head (the head when the export began), x-accord-export-scope.',
  })
  @ApiOkResponse({
    description: 'NDJSON, streamed',
    headers: {
      'x-accord-log-head': { description: 'The head when the export began', schema: { type: 'integer' } },
      'x-accord-export-scope': { schema: { type: 'string', enum: ['platform', 'organisation'] } },
    },
    content: {
      [NDJSON_CONTENT_TYPE]: {
        schema: { type: 'string', description: 'One JSON event envelope per line, in log order' },
      },
    },
  })
  @ApiProblems(400, 403)
  async events(
    @Query() q: EventsQueryDto,
    @CurrentUser() caller: Caller,
    @Res() res: Response,
  ): Promise<void> {
    const scope = auditScopeOf(caller);
    const head = await this.store.headPosition();
    const { position: upTo } = await this.cuts.cut(undefined);
    res.status(200);
    res.setHeader('content-type', `${NDJSON_CONTENT_TYPE}; charset=utf-8`);
    res.setHeader('cache-control', 'no-store');
    res.setHeader('x-accord-log-head', String(head));
    res.setHeader('x-accord-export-scope', scopeName(scope));
    try {
      for await (const chunk of this.exporter.pages(scope, q.after ?? 0, upTo, q.limit)) {
        if (chunk === '' || res.write(chunk)) continue;
        // Back-pressure: a slow reader holds the next page in the store, not in this process's memory.
        await new Promise<void>((resolve) => {
          res.once('drain', resolve);
          res.once('close', resolve);
        });
        if (res.destroyed) return;
      }
      res.end();
    } catch (error) {
      // Headers are gone: cut the stream short; whole lines already sent stay valid and `after` resumes.
      res.destroy(error instanceof Error ? error : undefined);
    }
  }

  @Get('verify')
  @ApiOperation({
    operationId: 'verifyAuditLog',
    summary: 'Recompute every hash chain and check every stored object',
    description:
      'Checks every live object against the SHA-256 in its DocumentShared; names the first bad event (stream, revision) and each bad object',
  })
  @ApiOkResponse({ type: IntegrityReportDto })
  @ApiProblems(403)
  verify(@CurrentUser() caller: Caller): Promise<IntegrityReportDto> {
    return this.integrity.verify(auditScopeOf(caller));
  }
}
