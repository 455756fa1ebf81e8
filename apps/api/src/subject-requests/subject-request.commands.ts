import { Command, Query } from '@nestjs/cqrs';
import type { SubjectAccessReport } from '@accord/domain';
import type { Caller } from '../auth';
import type { WriteContext } from '../shared/write-route';
import type { SubjectRequestDto, SubjectRequestViewDto } from './subject-request.dto';

export class SubmitSubjectRequestCommand extends Command<SubjectRequestViewDto> {
  constructor(
    readonly body: SubjectRequestDto,
    readonly caller: Caller,
    readonly context: WriteContext,
  ) {
    super();
  }
}

export class GetSubjectRequestQuery extends Query<SubjectRequestViewDto> {
  constructor(
    readonly caller: Caller,
    readonly requestId: string,
  ) {
    super();
  }
}

export class GetSubjectAccessReportQuery extends Query<SubjectAccessReport> {
  constructor(
    readonly caller: Caller,
    readonly requestId: string,
  ) {
    super();
  }
}
