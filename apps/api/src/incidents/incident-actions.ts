import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ExistingIncident,
  incidentDecider,
  incidentFail,
  IncidentCommand,
  incidentStreamId,
} from '@accord/domain';
import { EVENT_STORE, EventStore, eventIdsFor } from '@accord/event-store';
import { fold, READ_DB } from '@accord/platform';
import { findIncident, partyDocumentIds, ReadDb } from '@accord/projections';
import type { Caller } from '../auth';
import { ReportBreachCommand } from '../breaches/breach.commands';
import type { ReportBreachDto } from '../breaches/breach-requests.dto';
import { SettledCommandRunner } from '../shared/settled-command.runner';
import type { WriteContext } from '../shared/write-route';
import type { DismissIncidentDto, IncidentDto, PromoteIncidentDto } from './incident.dto';
import { incidentView } from './incident-view';

/** Scope of the breach report an incident becomes: one breach per incident, whoever promotes it. */
const PROMOTION_SCOPE = 'incident-promotion';

/** Promotion and dismissal, by an IG lead of an organisation involved in the incident. */
@Injectable()
export class IncidentActions {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_DB) private readonly db: ReadDb,
    private readonly runner: SettledCommandRunner,
    private readonly commands: CommandBus,
  ) {}

  /**
   * Reports the breach through the breaches feature's own command, then links it on the incident stream.
   * The report's idempotency key is the incident id, so a retry, a crash between the two appends, or two IG
   * leads promoting at once all land on the one breach, which the link then names.
   */
  async promote(
    id: string,
    body: PromoteIncidentDto,
    caller: Caller,
    context: WriteContext,
  ): Promise<IncidentDto> {
    const orgId = caller.orgId ?? '';
    const state = await this.incident(id, orgId);
    if (state.status === 'dismissed') throw incidentFail('incident.dismissed');
    // Promoting a promoted incident answers its breach: the call is idempotent on the incident itself.
    const breachId =
      state.status === 'open' ? await this.reportBreach(id, state, body, caller, context) : state.breachId!;
    await this.run(
      id,
      {
        type: 'PromoteIncident',
        data: { breachId, orgId },
        metadata: { now: new Date(context.meta.occurredAt) },
      },
      context,
    );
    return this.view(id);
  }

  private async reportBreach(
    id: string,
    { incident: i }: ExistingIncident,
    body: PromoteIncidentDto,
    caller: Caller,
    context: WriteContext,
  ): Promise<string> {
    const report: ReportBreachDto = {
      discoveredAt: i.detectedAt,
      description: `Security incident ${id} (${i.kind}, detected by the platform): ${i.summary}`,
      nearMiss: body.nearMiss,
      severity: body.severity ?? i.severity,
      // A breach names only documents its reporter sent or received (breach.document-unknown otherwise): an
      // outsider's denials-burst is about others' documents, which stay named on the incident the description
      // cites. The detector saw them in this read model, so it holds them already.
      documentIds: partyDocumentIds(this.db, caller.orgId ?? '', i.documentIds),
      ...(body.agreementId !== undefined ? { agreementId: body.agreementId } : {}),
    };
    const idempotency = {
      key: id,
      scope: PROMOTION_SCOPE,
      eventIds: (n: number) => eventIdsFor(n, id, PROMOTION_SCOPE),
    };
    const breach = await this.commands.execute(
      new ReportBreachCommand(report, caller, { meta: context.meta, idempotency }),
    );
    return breach.id;
  }

  async dismiss(
    id: string,
    body: DismissIncidentDto,
    caller: Caller,
    context: WriteContext,
  ): Promise<IncidentDto> {
    const orgId = caller.orgId ?? '';
    await this.run(
      id,
      {
        type: 'DismissIncident',
        data: { reason: body.reason, orgId },
        metadata: { now: new Date(context.meta.occurredAt) },
      },
      context,
    );
    return this.view(id);
  }

  /** From the log, not the read model: an incident just raised may not be projected here yet. */
  private async incident(id: string, orgId: string): Promise<ExistingIncident> {
    const state = fold(incidentDecider, await this.store.readStream(incidentStreamId(id)));
    if (state.status === 'none' || !state.incident.orgIds.includes(orgId))
      throw incidentFail('incident.not-found');
    return state;
  }

  private run(id: string, command: IncidentCommand, context: WriteContext) {
    return this.runner.run(incidentStreamId(id), incidentDecider, command, context.meta, context.idempotency);
  }

  private view(id: string): IncidentDto {
    const record = findIncident(this.db, id);
    if (!record) throw incidentFail('incident.not-found');
    return incidentView(record);
  }
}
