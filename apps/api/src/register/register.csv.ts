import { spreadsheetCsv } from '../audit/audit-csv';
import type { RegisterDto } from './register.dto';

const COLUMNS = [
  'category',
  'id',
  'title',
  'tier',
  'version',
  'leadOrganisation',
  'otherOrganisations',
  'purposes',
  'legalGateways',
  'dpiaReference',
  'dataProtectionContacts',
  'ratifiedOn',
  'reviewDue',
  'reviewOverdue',
  'endsOn',
] as const;

/**
 * The register as councils publish it in a spreadsheet (docs/architecture.md §28): one row per agreement in
 * force, lists joined with "; ". RFC 4180 with formula cells escaped, as the audit export (audit-csv.ts).
 */
export function registerCsv(view: RegisterDto): string {
  const rows = view.categories.flatMap((c) =>
    c.agreements.map((a): Record<(typeof COLUMNS)[number], unknown> => ({
      category: c.category,
      id: a.id,
      title: a.title,
      tier: a.tier,
      version: a.versionLabel ?? String(a.version),
      leadOrganisation: a.leadOrganisation.name,
      otherOrganisations: a.otherOrganisations.map((o) => o.name).join('; '),
      purposes: a.purposes.join('; '),
      legalGateways: a.legalGateways.map((g) => g.label).join('; '),
      dpiaReference: a.dpiaReference ?? '',
      dataProtectionContacts: a.dataProtectionContacts
        .map((d) => `${d.orgId}: ${d.name} <${d.email}>`)
        .join('; '),
      ratifiedOn: a.ratifiedOn ?? '',
      reviewDue: a.reviewDue ? a.reviewDue.slice(0, 10) : '',
      reviewOverdue: a.reviewOverdue ? 'yes' : 'no',
      endsOn: a.endsOn ? a.endsOn.slice(0, 10) : '',
    })),
  );
  return spreadsheetCsv(rows, COLUMNS);
}
