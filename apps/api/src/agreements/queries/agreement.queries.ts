import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { agreementStatusAt, fail } from '@accord/domain';
import { Clock, READ_DB } from '@accord/platform';
import {
  agreementSignatures,
  agreementVersions,
  DirectoryReadModel,
  findAgreement,
  isAgreementParty,
  listAgreementRecords,
  ReadDb,
} from '@accord/projections';
import type { Caller } from '../../auth';
import type { AgreementDetailDto, AgreementListDto } from '../agreement-responses.dto';
import type { ListAgreementsQueryDto } from '../agreement-requests.dto';
import { detailOf, NameOf, summaryOf } from '../agreement-view';

/**
 * Who reads which agreements (least privilege): users of an organisation (IG leads, practitioners) read the
 * agreements their organisation is or was a party to, drafts included; auditors read every agreement,
 * because the audit trail names agreements and versions and cannot be judged without their terms. The
 * admin operates organisations and users and reads none (the public register shows what is in force).
 */
export function readsEveryAgreement(caller: Caller): boolean {
  return caller.role === 'auditor';
}

export class ListAgreementsQuery extends Query<AgreementListDto> {
  constructor(
    readonly caller: Caller,
    readonly filter: ListAgreementsQueryDto,
  ) {
    super();
  }
}

export class GetAgreementQuery extends Query<AgreementDetailDto> {
  constructor(
    readonly caller: Caller,
    readonly agreementId: string,
  ) {
    super();
  }
}

abstract class AgreementReader {
  constructor(
    protected readonly db: ReadDb,
    protected readonly clock: Clock,
    private readonly directory: DirectoryReadModel,
  ) {}

  protected names(): NameOf {
    const cache = new Map<string, string | null>();
    return (id) => {
      if (!cache.has(id)) cache.set(id, this.directory.organisation(id)?.name ?? null);
      return cache.get(id)!;
    };
  }
}

@QueryHandler(ListAgreementsQuery)
export class ListAgreementsHandler extends AgreementReader implements IQueryHandler<ListAgreementsQuery> {
  constructor(@Inject(READ_DB) db: ReadDb, clock: Clock, directory: DirectoryReadModel) {
    super(db, clock, directory);
  }

  async execute({ caller, filter }: ListAgreementsQuery): Promise<AgreementListDto> {
    const now = this.clock.now();
    const nameOf = this.names();
    let records = readsEveryAgreement(caller)
      ? listAgreementRecords(this.db)
      : caller.orgId === null
        ? []
        : listAgreementRecords(this.db, { party: caller.orgId });
    if (filter.party !== undefined)
      records = records.filter((r) => isAgreementParty(this.db, r.id, filter.party!));
    if (filter.status !== undefined)
      records = records.filter((r) => agreementStatusAt(r.state, now) === filter.status);
    return { items: records.map((r) => summaryOf(r, now, nameOf)) };
  }
}

@QueryHandler(GetAgreementQuery)
export class GetAgreementHandler extends AgreementReader implements IQueryHandler<GetAgreementQuery> {
  constructor(@Inject(READ_DB) db: ReadDb, clock: Clock, directory: DirectoryReadModel) {
    super(db, clock, directory);
  }

  async execute({ caller, agreementId }: GetAgreementQuery): Promise<AgreementDetailDto> {
    const record = findAgreement(this.db, agreementId);
    const visible =
      record !== undefined &&
      (readsEveryAgreement(caller) ||
        (caller.orgId !== null && isAgreementParty(this.db, record.id, caller.orgId)));
    // Not a party reads as not found: the answer does not confirm that someone else's agreement exists.
    if (!record || !visible) throw fail('agreement.not-found');
    return detailOf(
      record,
      agreementVersions(this.db, agreementId),
      agreementSignatures(this.db, agreementId),
      this.clock.now(),
      this.names(),
    );
  }
}
