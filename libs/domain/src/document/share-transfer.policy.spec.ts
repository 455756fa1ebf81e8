import { AgreementEvent } from '../agreement/agreement.events';
import { activeAgreement, allSign, drafted } from '../testing/agreement-examples';
import { evaluatePayloadRecipients } from './share.policy';
import { context, given, NOW, request, uk } from './testing/share-examples';

describe('share policy (docs/architecture.md §9.4 to §9.6)', () => {
  describe('rule 4: UK-only, recorded as TransferBlocked', () => {
    it('given a recipient in France, then transfer.recipient-outside-uk to FR', () => {
      const ctx = context({
        organisations: {
          ...context().organisations,
          police: { jurisdiction: 'FR', activeKeyFingerprints: ['f'] },
        },
      });
      given(ctx).when().thenRefused('transfer.recipient-outside-uk', 'TransferBlocked', 'FR');
    });
    it.each(['GB-WLS', 'GB-SCT', 'GB-NIR'])(
      'given a recipient in %s, the share is allowed',
      (jurisdiction) => {
        const ctx = context({
          organisations: {
            ...context().organisations,
            police: { jurisdiction, activeKeyFingerprints: ['f'] },
          },
        });
        given(ctx).when().thenAllowed();
      },
    );
    it('given a storage region off the UK allow-list, then transfer.storage-region-not-uk', () => {
      given(context({ storageRegion: 'us-east-1' }))
        .when()
        .thenRefused('transfer.storage-region-not-uk', 'TransferBlocked', 'us-east-1');
    });
    it('given a client in France, then transfer.client-outside-uk to FR', () => {
      given(context({ client: { ip: '203.0.113.9', country: 'FR' } }))
        .when()
        .thenRefused('transfer.client-outside-uk', 'TransferBlocked', 'FR');
    });
    it('given a client whose country is unknown, then transfer.client-outside-uk to unknown', () => {
      given(context({ client: { ip: '203.0.113.9', country: 'unknown' } }))
        .when()
        .thenRefused('transfer.client-outside-uk', 'TransferBlocked', 'unknown');
    });
  });

  describe('rule 5: keys to encrypt to', () => {
    it('given a recipient with no active key, then share.recipient-has-no-key naming it', () => {
      const ctx = context({ organisations: { ...context().organisations, trust: uk([]) } });
      const refusal = given(ctx)
        .when(request({ recipients: ['police', 'trust'] }))
        .thenRefused('share.recipient-has-no-key', 'AccessDenied');
      expect(refusal.extra).toEqual({ recipients: ['trust'] });
    });
    it('when the message misses a recipient key or names another, then share.recipients-mismatch', () => {
      const refusal = evaluatePayloadRecipients({
        ok: false,
        missing: ['fpr-police'],
        unexpected: ['abcd'],
        passwordCount: 0,
      });
      expect(refusal).toMatchObject({
        reason: 'share.recipients-mismatch',
        records: 'AccessDenied',
        status: 422,
        extra: { missing: ['fpr-police'], unexpected: ['abcd'], passwordRecipients: 0 },
      });
      expect(
        evaluatePayloadRecipients({ ok: true, missing: [], unexpected: [], passwordCount: 0 }),
      ).toBeUndefined();
    });
  });

  describe('rule 6: retention', () => {
    it('given a P30D agreement, retainUntil is thirty days after the share', () => {
      const history = [
        drafted({ retentionPeriod: 'P30D' }),
        ...allSign(['council', 'police', 'trust'], 1, NOW),
      ];
      expect(given(context({}, history)).when().thenAllowed().retainUntil).toBe('2024-03-02T09:00:00.000Z');
    });
    it('when a shorter retention is asked for, it is kept', () => {
      expect(
        given()
          .when(request({ retainUntil: '2025-01-31' }))
          .thenAllowed().retainUntil,
      ).toBe('2025-01-31T00:00:00.000Z');
    });
    it('when a longer retention is asked for, then share.retention-longer-than-agreement', () => {
      const refusal = given()
        .when(request({ retainUntil: '2031-01-01T00:00:00Z' }))
        .thenRefused('share.retention-longer-than-agreement', 'AccessDenied');
      expect(refusal.extra).toEqual({
        retentionPeriod: 'P6Y',
        latestRetainUntil: '2030-02-01T09:00:00.000Z',
      });
    });
    it.each(['2024-01-01', 'next year', '2024-02-01T09:00:00Z'])(
      'when retainUntil is %s (past, unreadable or now), then share.retain-until-invalid',
      (retainUntil) => {
        given().when(request({ retainUntil })).thenRefused('share.retain-until-invalid', 'AccessDenied');
      },
    );
  });

  it('checks the rules in order: a suspended agreement is reported before a foreign recipient', () => {
    const suspended: AgreementEvent = { type: 'AgreementSuspended', data: { reason: 'breach' } };
    const ctx = context(
      {
        organisations: {
          ...context().organisations,
          police: { jurisdiction: 'FR', activeKeyFingerprints: [] },
        },
      },
      [...activeAgreement(), suspended],
    );
    given(ctx).when().thenRefused('share.agreement-suspended', 'AccessDenied');
  });
});
