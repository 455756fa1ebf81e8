import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ExistingSubjectRequest, type SubjectAccessReport, subjectRequestFail } from '@accord/domain';
import type { Caller } from '../auth';
import { SubjectAccessReports } from './subject-access-report';
import { GetSubjectAccessReportQuery, GetSubjectRequestQuery } from './subject-request.commands';
import type { SubjectRequestViewDto } from './subject-request.dto';
import { viewOf } from './subject-request-view';
import { SubjectRequestWriter } from './subject-request-writer';

/**
 * Requests are read from their stream: one short stream, and the IG lead checking an outcome just written
 * must see it. Another organisation's request reads as not found.
 */
async function ownRequest(
  writer: SubjectRequestWriter,
  caller: Caller,
  id: string,
): Promise<ExistingSubjectRequest> {
  const state = await writer.request(id);
  if (state.status === 'none' || caller.orgId === null || state.orgId !== caller.orgId)
    throw subjectRequestFail('subject-request.not-found');
  return state;
}

@QueryHandler(GetSubjectRequestQuery)
export class GetSubjectRequestHandler implements IQueryHandler<GetSubjectRequestQuery> {
  constructor(private readonly writer: SubjectRequestWriter) {}

  async execute({ caller, requestId }: GetSubjectRequestQuery): Promise<SubjectRequestViewDto> {
    return viewOf(requestId, await ownRequest(this.writer, caller, requestId));
  }
}

@QueryHandler(GetSubjectAccessReportQuery)
export class GetSubjectAccessReportHandler implements IQueryHandler<GetSubjectAccessReportQuery> {
  constructor(
    private readonly writer: SubjectRequestWriter,
    private readonly reports: SubjectAccessReports,
  ) {}

  async execute({ caller, requestId }: GetSubjectAccessReportQuery): Promise<SubjectAccessReport> {
    const request = await ownRequest(this.writer, caller, requestId);
    if (request.kind !== 'access') throw subjectRequestFail('subject-request.not-access');
    return this.reports.build(requestId, request);
  }
}
