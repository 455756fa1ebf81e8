import { AgreementCommand } from '../agreement/agreement.commands';
import { agreementDecider } from '../agreement/agreement.decider';
import { AgreementEvent } from '../agreement/agreement.events';
import { AgreementState } from '../agreement/agreement.state';
import { AgreementTerms, AgreementTermsInput } from '../agreement/agreement.terms';

/** Test support: a small three-party partnership and event builders for agreement specs. */
export const PARTIES = ['council', 'police', 'trust'] as const;

export const input = (overrides: Partial<AgreementTermsInput> = {}): AgreementTermsInput => ({
  title: 'Early help information sharing',
  purposes: ['early help assessment', 'safeguarding referrals'],
  tier: 1,
  category: 'Safer Community',
  leadOrg: 'council',
  parties: [...PARTIES],
  lawfulBases: ['uk-gdpr-art6-1-e', 'uk-gdpr-art9-2-g', 'dpa2018-sch1-pt2-para18'],
  dataCategories: ['name', 'address', 'health', 'criminal-investigations'],
  retentionPeriod: 'P6Y',
  ...overrides,
});

export const terms = (overrides: Partial<AgreementTerms> = {}): AgreementTerms => ({
  ...(input() as Omit<AgreementTerms, 'reviewIntervalMonths'>),
  reviewIntervalMonths: 12,
  ...overrides,
});

export const at = (iso: string) => ({ now: new Date(iso) });

export const drafted = (overrides: Partial<AgreementTerms> = {}): AgreementEvent => ({
  type: 'AgreementDrafted',
  data: terms(overrides),
});

export const signed = (orgId: string, version: number, signedAt: string): AgreementEvent => ({
  type: 'AgreementSigned',
  data: { orgId, signatory: `Signatory of ${orgId}`, position: 'Caldicott Guardian', version, signedAt },
});

/** Every party signs `version` at `signedAt`, the last signature activating it. */
export function allSign(
  parties: readonly string[],
  version: number,
  signedAt: string,
  firstReviewDue?: string,
): AgreementEvent[] {
  return [
    ...parties.map((p) => signed(p, version, signedAt)),
    {
      type: 'AgreementActivated',
      data: { version, activatedAt: signedAt, ...(firstReviewDue ? { firstReviewDue } : {}) },
    },
  ];
}

/** Version 1 drafted and signed by all three parties on 2024-01-15; first review due 2024-07-15. */
export const activeAgreement = (): AgreementEvent[] => [
  drafted(),
  ...allSign(PARTIES, 1, '2024-01-15T10:00:00.000Z', '2024-07-15T10:00:00.000Z'),
];

export const stateOf = (events: readonly AgreementEvent[]): AgreementState =>
  events.reduce(agreementDecider.evolve, agreementDecider.initialState());

export const command = <T extends AgreementCommand['type']>(
  type: T,
  data: Extract<AgreementCommand, { type: T }>['data'],
  now = '2024-02-01T09:00:00.000Z',
) => ({ type, data, metadata: at(now) }) as AgreementCommand;
