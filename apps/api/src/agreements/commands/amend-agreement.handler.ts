import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import {
  AgreementCommand,
  agreementDecider,
  AgreementState,
  AgreementTerms,
  applyChanges,
  currentTerms,
  ExistingAgreement,
  isTerminatedAt,
} from '@accord/domain';
import { READ_DB } from '@accord/platform';
import { childAgreementIds, ReadDb } from '@accord/projections';
import { amendmentExcludesChild, partyNotRegistered } from '../agreement-refusals';
import type { AgreementOutcomeDto } from '../agreement-responses.dto';
import { AgreementDecider, AgreementWriter } from '../agreement-writer';
import { AmendAgreementCommand } from './agreement.commands';

/**
 * POST /agreements/:id/amendments: a new version that every party of it signs before it governs shares.
 * A tier-2 agreement's amendment is checked against its parent (loaded here, passed in the command); a
 * tier-1 amendment must not leave any of its live tier-2 agreements outside the new terms, which the
 * domain cannot see from one stream, so this handler wraps the decider with that check.
 */
@CommandHandler(AmendAgreementCommand)
export class AmendAgreementHandler implements ICommandHandler<AmendAgreementCommand> {
  constructor(
    private readonly writer: AgreementWriter,
    @Inject(READ_DB) private readonly db: ReadDb,
  ) {}

  async execute(command: AmendAgreementCommand): Promise<AgreementOutcomeDto> {
    const { agreementId, body, context } = command;
    const state = await this.writer.agreement(agreementId);
    const terms = state.status === 'none' ? undefined : currentTerms(state);
    // Who may amend comes before what the amendment says: a stranger hears not-found or not-a-party.
    const parties = body.changes.parties;
    if (parties && terms?.parties.includes(command.orgId)) {
      const missing = await this.writer.unregisteredOrganisations(parties);
      if (missing.length > 0) throw partyNotRegistered(missing);
    }
    const partiesOutsideUk = await this.writer.partiesOutsideUk(parties ?? terms?.parties ?? []);
    const parent =
      terms?.tier === 2 && terms.parentId ? await this.writer.agreement(terms.parentId) : undefined;
    // Children are found through the read model (the store has no index by parent) and read from the store.
    const children =
      terms?.tier === 1
        ? (await this.writer.agreements(childAgreementIds(this.db, agreementId))).filter(
            (c) => !isTerminatedAt(c.state, command.now),
          )
        : [];
    const amend = command.asks('AmendAgreement', {
      reasonForChange: body.reasonForChange,
      changes: { ...body.changes },
      ...(parent ? { parent } : {}),
      partiesOutsideUk,
    });
    return this.writer.execute(agreementId, amend, context, keepingChildrenInScope(children));
  }
}

/**
 * The amended terms must still cover every live child's parties, purposes (or the parent purposes they
 * narrow), data categories and lawful bases (docs/architecture.md §8.4).
 */
export function keepingChildrenInScope(
  children: readonly { id: string; state: ExistingAgreement }[],
): AgreementDecider {
  if (children.length === 0) return agreementDecider;
  return {
    ...agreementDecider,
    decide(command: AgreementCommand, state: AgreementState) {
      const events = agreementDecider.decide(command, state);
      const amended = events.find((e) => e.type === 'AgreementAmended');
      if (!amended || amended.type !== 'AgreementAmended' || state.status === 'none') return events;
      const scope = applyChanges(currentTerms(state), amended.data.changes);
      for (const field of ['parties', 'purposes', 'dataCategories', 'lawfulBases'] as const) {
        const outside = children.filter((c) => !within(c.state, scope, field)).map((c) => c.id);
        if (outside.length > 0) throw amendmentExcludesChild(field, outside);
      }
      return events;
    },
  };
}

function within(
  child: ExistingAgreement,
  scope: AgreementTerms,
  field: 'parties' | 'purposes' | 'dataCategories' | 'lawfulBases',
): boolean {
  const allowed = new Set<string>(scope[field]);
  // Both the child's terms in force and a version it has pending must stay inside the parent.
  const versions = [child.activeTerms, currentTerms(child)].filter((t): t is AgreementTerms => t !== null);
  return versions.every((t) =>
    (t[field] as readonly string[]).every(
      (v) => allowed.has(v) || (field === 'purposes' && allowed.has(t.purposeNarrows?.[v] ?? '')),
    ),
  );
}
