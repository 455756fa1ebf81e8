import type { AuditEntry } from '@accord/projections';
import { renderSearchPage } from '../audit/ui/audit-ui-search.html';
import { searchFormOf } from '../audit/ui/audit-ui.queries';
import { renderRegisterHtml } from '../register/register.html';
import { escapeHtml } from './html-escape';

/**
 * Text that users typed reaches these pages: an agreement's title and purposes on the public register, a
 * reason or rationale in an audit row. A bidi override (U+202E) or embedding in it reorders what the reader
 * sees ("Invoice\u202Efdp.exe" reads "Invoiceexe.pdf"): shown as the code point, it cannot disguise anything.
 */
describe('user text on the server-rendered pages', () => {
  const BIDI = ['\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069'];

  it('escapeHtml shows every bidi embedding, override and isolate as its code point', () => {
    expect(escapeHtml('Invoice\u202Efdp.exe')).toBe('Invoice[U+202E]fdp.exe');
    for (const c of BIDI) expect(escapeHtml(`a${c}b`)).not.toContain(c);
    // Marks that only give a character a direction, and joiners that scripts need, are kept.
    expect(escapeHtml('\u200F\u200D\u200C')).toBe('\u200F\u200D\u200C');
  });

  it('the audit view and the public register carry no bidi control a user typed', () => {
    const entry: AuditEntry = {
      position: 7,
      eventId: 'e',
      type: 'UserSuspended',
      occurredAt: '2026-03-02T09:00:00.000Z',
      streamId: 'user-u',
      documentId: null,
      agreementId: null,
      organisationId: null,
      userId: 'u',
      actor: { userId: 'lead', orgId: 'council', role: 'ig-lead', system: null },
      orgId: 'council',
      details: { reason: 'left\u202Edetaler ton' },
    };
    const audit = renderSearchPage({
      signed: { label: 'ig-lead, council', csrf: 'c' },
      form: searchFormOf({}),
      scope: 'organisation',
      canVerify: false,
      result: { cut: { position: 7, at: null }, items: [entry], nextAfter: null },
    });
    expect(audit).toContain('reason: left[U+202E]detaler ton');
    const org = { id: 'council', name: 'Council\u202Eecilop' };
    const register = renderRegisterHtml({
      asOf: '2026-03-02',
      total: 1,
      categories: [
        {
          category: 'safeguarding',
          agreements: [
            {
              id: 'a',
              title: 'Referrals\u2067 to police',
              purposes: ['child protection\u202D'],
              version: 1,
              versionLabel: null,
              dataProtectionContacts: [],
              legalGateways: [{ code: null, label: 'Children Act\u202B' }],
              dpiaReference: null,
              ratifiedOn: null,
              tier: 1,
              leadOrganisation: org,
              otherOrganisations: [],
              reviewDue: null,
              reviewOverdue: false,
              endsOn: null,
            },
          ],
        },
      ],
    });
    for (const page of [audit, register]) for (const c of BIDI) expect(page).not.toContain(c);
    expect(register).toContain('Council[U+202E]ecilop');
  });
});
