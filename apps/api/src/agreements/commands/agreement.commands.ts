import type { AgreementCommand } from '@accord/domain';
import type { Caller } from '../../auth';
import { OrganisationRequest } from '../../shared/write-route';
import type { AgreementOutcomeDto } from '../agreement-responses.dto';
import type {
  AmendAgreementDto,
  DraftAgreementDto,
  ImportAgreementDto,
  JoinAgreementDto,
  ReviewAgreementDto,
  SignAgreementDto,
  TerminateAgreementDto,
} from '../agreement-requests.dto';
import type { WriteContext } from '../agreement-writer';

/** Commands the controllers dispatch; each handler runs one agreement decider command through runCommand. */
abstract class AgreementRequest extends OrganisationRequest<AgreementOutcomeDto> {
  /** The decider command this request asks for: the caller's organisation acts, at the request's time. */
  asks<T extends AgreementCommand['type']>(
    type: T,
    data: Omit<Extract<AgreementCommand, { type: T }>['data'], 'orgId'>,
  ): AgreementCommand {
    // TypeScript cannot relate a generic `type` to its member of the union; the signature above does.
    return { type, data: { orgId: this.orgId, ...data }, metadata: { now: this.now } } as AgreementCommand;
  }
}

export class ImportAgreementCommand extends AgreementRequest {
  constructor(
    readonly body: ImportAgreementDto,
    caller: Caller,
    context: WriteContext,
  ) {
    super(caller, context);
  }
}

export class DraftAgreementCommand extends AgreementRequest {
  constructor(
    readonly body: DraftAgreementDto,
    caller: Caller,
    context: WriteContext,
  ) {
    super(caller, context);
  }
}

export abstract class ExistingAgreementRequest<B> extends AgreementRequest {
  constructor(
    readonly agreementId: string,
    readonly body: B,
    caller: Caller,
    context: WriteContext,
  ) {
    super(caller, context);
  }
}

export class SignAgreementCommand extends ExistingAgreementRequest<SignAgreementDto> {}
export class AmendAgreementCommand extends ExistingAgreementRequest<AmendAgreementDto> {}
export class ReviewAgreementCommand extends ExistingAgreementRequest<ReviewAgreementDto> {}
export class SuspendAgreementCommand extends ExistingAgreementRequest<{ reason: string }> {}
export class ReinstateAgreementCommand extends ExistingAgreementRequest<{ reason: string }> {}
export class TerminateAgreementCommand extends ExistingAgreementRequest<TerminateAgreementDto> {}
export class WithdrawFromAgreementCommand extends ExistingAgreementRequest<TerminateAgreementDto> {}
export class JoinAgreementCommand extends ExistingAgreementRequest<JoinAgreementDto> {}
