import { AgreementEvent } from '../../agreement/agreement.events';
import { activeAgreement, stateOf } from '../../testing/agreement-examples';
import { DocumentRefusalCode, RefusalRecord } from '../document.errors';
import { evaluateShare, PartyOrganisation, ShareContext, ShareRequest } from '../share.policy';

/** Test support for the share policy's specs: a three-party agreement in force and given/when/then. */

export const NOW = '2024-02-01T09:00:00.000Z';
export const uk = (keys = ['fpr-1']): PartyOrganisation => ({
  jurisdiction: 'GB-ENG',
  activeKeyFingerprints: keys,
});

export function context(
  overrides: Partial<ShareContext> = {},
  history: AgreementEvent[] = activeAgreement(),
) {
  return {
    now: new Date(NOW),
    user: {
      userId: 'u-1',
      orgId: 'council',
      role: 'practitioner',
      active: true,
      acceptedAccessAgreement: true,
    },
    agreement: stateOf(history),
    organisations: { council: uk(['fpr-council']), police: uk(['fpr-police']), trust: uk(['fpr-trust']) },
    storageRegion: 'uk',
    ukStorageRegions: ['uk', 'eu-west-2'],
    client: { ip: '127.0.0.1', country: 'GB' },
    ...overrides,
  } satisfies ShareContext;
}

export const request = (overrides: Partial<ShareRequest> = {}): ShareRequest => ({
  agreementId: 'agreement-1',
  recipients: ['police'],
  purpose: 'early help assessment',
  dataCategories: ['name', 'health'],
  ...overrides,
});

/** given(context) / when(request) / then allowed, or refused with its code and the event it records. */
export function given(ctx: ShareContext = context()) {
  return {
    when(req: ShareRequest = request()) {
      const verdict = evaluateShare(req, ctx);
      return {
        thenAllowed() {
          if (!verdict.allowed) throw new Error(`refused: ${verdict.refusal.reason}`);
          return verdict.share;
        },
        thenRefused(code: DocumentRefusalCode, records: RefusalRecord, destination?: string) {
          if (verdict.allowed) throw new Error(`expected ${code}, was allowed`);
          expect({ reason: verdict.refusal.reason, records: verdict.refusal.records }).toEqual({
            reason: code,
            records,
          });
          if (destination !== undefined) expect(verdict.refusal.destination).toBe(destination);
          return verdict.refusal;
        },
      };
    },
  };
}

export const withUser = (user: Partial<ShareContext['user']>) =>
  context({ user: { ...context().user, ...user } });
