import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { uuidv5 } from '@accord/event-store';
import { IdGenerator } from '@accord/platform';
import { assertOwnOrganisation } from '../../auth';
import { partyNotRegistered } from '../agreement-refusals';
import type { AgreementOutcomeDto } from '../agreement-responses.dto';
import { AgreementWriter } from '../agreement-writer';
import { DraftAgreementCommand, ImportAgreementCommand } from './agreement.commands';

/**
 * POST /agreements. The caller's organisation must be the lead: the lead organisation owns the agreement's
 * text and its reviews, so no organisation can put another in that role (docs/architecture.md §8.1: drafting
 * is for an IG lead, and least privilege says of their own organisation). The other parties sign to consent.
 */
@CommandHandler(DraftAgreementCommand)
export class DraftAgreementHandler implements ICommandHandler<DraftAgreementCommand> {
  constructor(
    private readonly writer: AgreementWriter,
    private readonly ids: IdGenerator,
  ) {}

  async execute(command: DraftAgreementCommand): Promise<AgreementOutcomeDto> {
    const { body, caller, context } = command;
    assertOwnOrganisation(caller, body.leadOrg);
    const missing = await this.writer.unregisteredOrganisations(body.parties);
    if (missing.length > 0) throw partyNotRegistered(missing);
    // Clause 6.0 (docs/architecture.md §8.3): the decider refuses a party outside the UK.
    const partiesOutsideUk = await this.writer.partiesOutsideUk(body.parties);
    // The decider checks a tier-2 agreement against its parent's state; the handler loads it
    // (docs/architecture.md §2).
    const parent =
      body.tier === 2 && typeof body.parentId === 'string' && body.parentId.trim() !== ''
        ? await this.writer.agreement(body.parentId.trim())
        : undefined;
    const { key, scope } = context.idempotency;
    // A retried draft must land on the same stream for the store to recognise the retry.
    const id = key === undefined ? this.ids.newId() : uuidv5(`agreement|${scope}|${key}`);
    return this.writer.execute(
      id,
      {
        type: 'DraftAgreement',
        data: { ...body, ...(parent ? { parent } : {}), partiesOutsideUk },
        metadata: { now: command.now },
      },
      context,
    );
  }
}

/**
 * POST /agreements/import: an existing agreement with its versions, signatories and dates, recorded as
 * imported with its provenance (docs/architecture.md §28). As for a draft, an IG lead of the lead
 * organisation brings it, and every party must be registered.
 */
@CommandHandler(ImportAgreementCommand)
export class ImportAgreementHandler implements ICommandHandler<ImportAgreementCommand> {
  constructor(
    private readonly writer: AgreementWriter,
    private readonly ids: IdGenerator,
  ) {}

  async execute(command: ImportAgreementCommand): Promise<AgreementOutcomeDto> {
    const { body, caller, context } = command;
    const terms = body.terms;
    assertOwnOrganisation(caller, terms.leadOrg);
    const later = (body.versions ?? []).flatMap((v) => v.changes?.parties ?? []);
    const everyParty = [...terms.parties, ...later];
    const missing = await this.writer.unregisteredOrganisations(everyParty);
    if (missing.length > 0) throw partyNotRegistered(missing);
    const partiesOutsideUk = await this.writer.partiesOutsideUk(everyParty);
    const parent =
      terms.tier === 2 && typeof terms.parentId === 'string' && terms.parentId.trim() !== ''
        ? await this.writer.agreement(terms.parentId.trim())
        : undefined;
    const { key, scope } = context.idempotency;
    const id = key === undefined ? this.ids.newId() : uuidv5(`agreement-import|${scope}|${key}`);
    return this.writer.execute(
      id,
      command.asks('ImportAgreement', {
        importedBy: caller.userId,
        source: body.source,
        terms: { ...terms },
        versions: (body.versions ?? []).map((v) => ({
          ...v,
          changes: v.changes ? { ...v.changes } : null,
        })),
        signatures: (body.signatures ?? []).map((s) => ({ ...s })),
        ...(parent ? { parent } : {}),
        partiesOutsideUk,
      }),
      context,
    );
  }
}
