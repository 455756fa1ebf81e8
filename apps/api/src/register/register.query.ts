import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { AgreementTerms, hasWithdrawnAt, LEGAL_GATEWAYS, termsInForce } from '@accord/domain';
import { Clock, READ_DB } from '@accord/platform';
import { activeAgreementRecords, DirectoryReadModel, ReadDb } from '@accord/projections';
import type { RegisterCategoryDto, RegisterDto, RegisterEntryDto } from './register.dto';

export class GetRegisterQuery extends Query<RegisterDto> {}

/**
 * The public register: what councils publish as "information sharing agreements in force". In force means
 * what it means at share time (the domain's termsInForce): every party signed a version, and the agreement
 * is neither suspended nor terminated. A suspended agreement is left out while suspended, because nothing
 * may be shared under it; one whose review is overdue stays, flagged, because an ISA stands until
 * terminated (docs/architecture.md §8.3). Only the terms in force are published, never a pending amendment,
 * and never who signed (signatories are people). A party whose withdrawal has taken effect is no longer named,
 * nor its contact published: the terms still list it (§28.6), but it neither sends nor receives under them.
 */
@QueryHandler(GetRegisterQuery)
export class GetRegisterHandler implements IQueryHandler<GetRegisterQuery> {
  constructor(
    @Inject(READ_DB) private readonly db: ReadDb,
    private readonly clock: Clock,
    private readonly directory: DirectoryReadModel,
  ) {}

  async execute(): Promise<RegisterDto> {
    const now = this.clock.now();
    const byCategory = new Map<string, RegisterEntryDto[]>();
    for (const record of activeAgreementRecords(this.db)) {
      const inForce = termsInForce(record.state, now);
      if (!inForce.inForce) continue;
      const { terms } = inForce;
      const parties = terms.parties.filter((p) => !hasWithdrawnAt(record.state, p, now));
      const entry: RegisterEntryDto = {
        id: record.id,
        title: terms.title,
        purposes: terms.purposes,
        version: inForce.version,
        versionLabel: terms.versionLabel ?? null,
        dataProtectionContacts: contactsOf(terms, parties),
        legalGateways: gatewaysOf(terms),
        dpiaReference: terms.dpiaReference ?? null,
        ratifiedOn: terms.ratifiedOn ?? null,
        tier: terms.tier,
        leadOrganisation: this.organisation(terms.leadOrg),
        otherOrganisations: parties.filter((p) => p !== terms.leadOrg).map((p) => this.organisation(p)),
        reviewDue: inForce.nextReviewDue,
        reviewOverdue: inForce.reviewOverdue,
        endsOn: inForce.terminationEffectiveAt,
      };
      const list = byCategory.get(terms.category) ?? [];
      list.push(entry);
      byCategory.set(terms.category, list);
    }
    const categories: RegisterCategoryDto[] = [...byCategory.entries()]
      .sort(([a], [b]) => a.localeCompare(b, 'en-GB'))
      .map(([category, agreements]) => ({
        category,
        agreements: agreements.sort(
          (a, b) => a.title.localeCompare(b.title, 'en-GB') || a.id.localeCompare(b.id),
        ),
      }));
    return {
      asOf: now.toISOString().slice(0, 10),
      total: categories.reduce((n, c) => n + c.agreements.length, 0),
      categories,
    };
  }

  private organisation(id: string): { id: string; name: string } {
    return { id, name: this.directory.organisation(id)?.name ?? id };
  }
}

/** Data-protection contacts of the parties still in it, in their order (docs/architecture.md §28). */
function contactsOf(
  terms: AgreementTerms,
  parties: readonly string[],
): RegisterEntryDto['dataProtectionContacts'] {
  const contacts = terms.dataProtectionContacts ?? {};
  return parties.flatMap((orgId) => {
    const c = contacts[orgId];
    return c ? [{ orgId, name: c.name, email: c.email }] : [];
  });
}

function gatewaysOf(terms: AgreementTerms): RegisterEntryDto['legalGateways'] {
  return [
    ...(terms.legalGateways ?? []).map((code) => ({ code, label: LEGAL_GATEWAYS[code] })),
    ...(terms.otherLegalGateways ?? []).map((label) => ({ code: null, label })),
  ];
}
