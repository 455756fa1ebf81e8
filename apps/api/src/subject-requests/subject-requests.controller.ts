import { Body, Controller, Get, Headers, HttpCode, Param, Post, Req, Res, UseFilters } from '@nestjs/common';
import { RefusalRecordingFilter } from '../shared/refusal-recording.filter';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiCreatedResponse,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { subjectRequestFail, type SubjectAccessReport } from '@accord/domain';
import { Clock, Idempotency, IdempotencyKey } from '@accord/platform';
import { type Caller, CurrentUser, RequiresAccessAgreement, Roles } from '../auth';
import { ApiProblems } from '../shared/api-problem.decorator';
import { UuidIdPipe, writeContext, writeRouteDecorator } from '../shared/write-route';
import { renderSubjectAccessReport, SUBJECT_ACCESS_REPORT_CSP } from './subject-access-report.html';
import {
  GetSubjectAccessReportQuery,
  GetSubjectRequestQuery,
  SubmitSubjectRequestCommand,
} from './subject-request.commands';
import { SubjectAccessReportDto, SubjectRequestDto, SubjectRequestViewDto } from './subject-request.dto';

const SubjectRequestIdPipe = UuidIdPipe(() => subjectRequestFail('subject-request.not-found'));
const SubjectRequestWrite = writeRouteDecorator(
  'auth.forbidden-role, subject-request.not-sender',
  'subject-request.document-not-found',
);

/**
 * Data-subject rights (UK GDPR Arts 15-18) exercised by an organisation's IG lead for a person whose
 * documents it holds or shared. The subject's identifier is turned into its HMAC reference at once.
 */
@ApiTags('subject-requests')
@Controller('subject-requests')
@UseFilters(RefusalRecordingFilter)
@Roles('ig-lead')
@RequiresAccessAgreement()
export class SubjectRequestsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly clock: Clock,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    operationId: 'submitSubjectRequest',
    summary: 'Exercise a data subject’s right over what the caller’s organisation holds',
    description:
      'Access, restriction (or lifting it), erasure (refused with the reason where an exemption applies) ' +
      'or rectification, for a subject by NHS number or local reference',
  })
  @ApiCreatedResponse({ type: SubjectRequestViewDto })
  @SubjectRequestWrite(
    [409, 'subject-request.already-superseded, subject-request.document-erased'],
    [
      422,
      'subject.nhs-number-invalid, subject.value-invalid, subject-request.reason-required, ' +
        'subject-request.documents-required, subject-request.not-about-subject, ...',
    ],
  )
  submit(
    @Body() body: SubjectRequestDto,
    @CurrentUser() caller: Caller,
    @IdempotencyKey() idempotency: Idempotency,
    @Req() req: Request,
  ): Promise<SubjectRequestViewDto> {
    return this.commands.execute(
      new SubmitSubjectRequestCommand(body, caller, writeContext(caller, req, this.clock, idempotency)),
    );
  }

  @Get(':id')
  @ApiOperation({ operationId: 'getSubjectRequest', summary: 'A subject request and its outcome' })
  @ApiOkResponse({ type: SubjectRequestViewDto })
  @ApiProblems(403, 404)
  get(
    @CurrentUser() caller: Caller,
    @Param('id', SubjectRequestIdPipe) id: string,
  ): Promise<SubjectRequestViewDto> {
    return this.queries.execute(new GetSubjectRequestQuery(caller, id));
  }

  @Get(':id/report')
  @ApiOperation({
    operationId: 'getSubjectAccessReport',
    summary: 'The access report of an access request (UK GDPR Art 15)',
    description:
      'Every document held about the subject, how it was obtained, why, who it was ' +
      'shared with and who opened it when (Accept: text/html for a printable page)',
  })
  @ApiExtraModels(SubjectAccessReportDto)
  @ApiOkResponse({
    description: 'The report (JSON) or a printable HTML page',
    content: {
      'application/json': { schema: { $ref: getSchemaPath(SubjectAccessReportDto) } },
      'text/html': { schema: { type: 'string', description: 'The printable report' } },
    },
  })
  @ApiProblems(403, 404)
  async report(
    @CurrentUser() caller: Caller,
    @Param('id', SubjectRequestIdPipe) id: string,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SubjectAccessReport | string> {
    const report = await this.queries.execute(new GetSubjectAccessReportQuery(caller, id));
    if (!prefersHtml(accept)) return report;
    res.type('text/html; charset=utf-8');
    res.setHeader('Content-Security-Policy', SUBJECT_ACCESS_REPORT_CSP);
    return renderSubjectAccessReport(report);
  }
}

/** HTML only when asked for ahead of JSON: a plain API client (Accept: * / *) gets JSON. */
function prefersHtml(accept: string | undefined): boolean {
  if (!accept) return false;
  const html = accept.indexOf('text/html');
  const json = accept.indexOf('application/json');
  return html >= 0 && (json < 0 || html < json);
}
