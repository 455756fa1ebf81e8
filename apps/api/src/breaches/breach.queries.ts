import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { breachFail, isOverdueAt } from '@accord/domain';
import { Clock, READ_DB } from '@accord/platform';
import { findBreach, isBreachInvolved, listBreachRecords, ReadDb } from '@accord/projections';
import type { Caller } from '../auth';
import type { BreachDetailDto, BreachListDto } from './breach-responses.dto';
import { detailOf, summaryOf } from './breach-view';

export class ListBreachesQuery extends Query<BreachListDto> {
  constructor(
    readonly caller: Caller,
    readonly overdueOnly: boolean,
  ) {
    super();
  }
}

export class GetBreachQuery extends Query<BreachDetailDto> {
  constructor(
    readonly caller: Caller,
    readonly breachId: string,
  ) {
    super();
  }
}

/** The caller's organisation's breaches: reported by it or notified to it as a party of the agreement. */
@QueryHandler(ListBreachesQuery)
export class ListBreachesHandler implements IQueryHandler<ListBreachesQuery> {
  constructor(
    @Inject(READ_DB) private readonly db: ReadDb,
    private readonly clock: Clock,
  ) {}

  async execute({ caller, overdueOnly }: ListBreachesQuery): Promise<BreachListDto> {
    const now = this.clock.now();
    const records = caller.orgId === null ? [] : listBreachRecords(this.db, caller.orgId);
    return {
      items: records.filter((r) => !overdueOnly || isOverdueAt(r.state, now)).map((r) => summaryOf(r, now)),
    };
  }
}

@QueryHandler(GetBreachQuery)
export class GetBreachHandler implements IQueryHandler<GetBreachQuery> {
  constructor(
    @Inject(READ_DB) private readonly db: ReadDb,
    private readonly clock: Clock,
  ) {}

  async execute({ caller, breachId }: GetBreachQuery): Promise<BreachDetailDto> {
    const record = findBreach(this.db, breachId);
    // Not involved reads as not found: the answer does not confirm that another partnership had a breach.
    if (!record || caller.orgId === null || !isBreachInvolved(this.db, breachId, caller.orgId))
      throw breachFail('breach.not-found');
    return detailOf(record, this.clock.now());
  }
}
