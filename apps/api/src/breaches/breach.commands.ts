import type { Caller } from '../auth';
import type {
  AssessBreachDto,
  CloseBreachDto,
  ContainmentDto,
  IcoNotificationDto,
  ReportBreachDto,
  SubjectNotificationDto,
} from './breach-requests.dto';
import type { BreachDetailDto } from './breach-responses.dto';

import { OrganisationRequest, type WriteContext as BreachWriteContext } from '../shared/write-route';

export type { BreachWriteContext };

/** Commands the controllers dispatch; each runs one breach decider command through runCommand. */
abstract class BreachRequest<B> extends OrganisationRequest<BreachDetailDto> {
  constructor(
    readonly body: B,
    caller: Caller,
    context: BreachWriteContext,
  ) {
    super(caller, context);
  }
}

export class ReportBreachCommand extends BreachRequest<ReportBreachDto> {}

abstract class ExistingBreachRequest<B> extends BreachRequest<B> {
  constructor(
    readonly breachId: string,
    body: B,
    caller: Caller,
    context: BreachWriteContext,
  ) {
    super(body, caller, context);
  }
}

export class AssessBreachCommand extends ExistingBreachRequest<AssessBreachDto> {}
export class RecordIcoNotificationCommand extends ExistingBreachRequest<IcoNotificationDto> {}
export class RecordSubjectNotificationCommand extends ExistingBreachRequest<SubjectNotificationDto> {}
export class CloseBreachCommand extends ExistingBreachRequest<CloseBreachDto> {}
/** Suspend a user or revoke a key of the caller's organisation from the breach page, then record it there. */
export class ContainBreachCommand extends ExistingBreachRequest<ContainmentDto> {}
