import { AgreementEvent } from '../agreement/agreement.events';
import { activeAgreement, allSign, drafted } from '../testing/agreement-examples';
import { shareRoleRefusal } from './share.policy';
import { context, given, request, uk, withUser } from './testing/share-examples';

describe('share policy (docs/architecture.md §9)', () => {
  it('given an agreement in force, a party practitioner sharing within its terms is allowed', () => {
    const share = given().when().thenAllowed();
    expect(share).toEqual({
      agreementId: 'agreement-1',
      agreementVersion: 1,
      senderOrg: 'council',
      recipients: ['police'],
      purpose: 'early help assessment',
      dataCategories: ['name', 'health'],
      retainUntil: '2030-02-01T09:00:00.000Z',
      reviewOverdue: false,
      recipientKeys: { police: ['fpr-police'] },
    });
  });

  describe('rule 1: the agreement is in force', () => {
    it('given no agreement, then share.agreement-not-found', () => {
      given(context({}, [])).when().thenRefused('share.agreement-not-found', 'AccessDenied');
    });
    it('given a draft nobody signed yet, then share.agreement-not-active', () => {
      given(context({}, [drafted()]))
        .when()
        .thenRefused('share.agreement-not-active', 'AccessDenied');
    });
    it('given a suspended agreement, then share.agreement-suspended', () => {
      const suspended: AgreementEvent = { type: 'AgreementSuspended', data: { reason: 'breach' } };
      given(context({}, [...activeAgreement(), suspended]))
        .when()
        .thenRefused('share.agreement-suspended', 'AccessDenied');
    });
    it('given a termination effective today, then share.agreement-terminated', () => {
      const ended: AgreementEvent = {
        type: 'AgreementTerminated',
        data: { noticeServedBy: 'police', effectiveAt: '2024-02-01T00:00:00.000Z' },
      };
      given(context({}, [...activeAgreement(), ended]))
        .when()
        .thenRefused('share.agreement-terminated', 'AccessDenied');
    });
    it('given notice served for a later date, sharing continues until then', () => {
      const notice: AgreementEvent = {
        type: 'AgreementTerminated',
        data: { noticeServedBy: 'police', effectiveAt: '2024-03-01T00:00:00.000Z' },
      };
      given(context({}, [...activeAgreement(), notice]))
        .when()
        .thenAllowed();
    });
    it('given an overdue review, sharing is allowed and flagged', () => {
      const late = context({ now: new Date('2024-08-01T09:00:00.000Z') });
      expect(given(late).when().thenAllowed().reviewOverdue).toBe(true);
    });
    it('given an amendment awaiting signatures, the version in force governs: its new purpose is refused', () => {
      const amended: AgreementEvent = {
        type: 'AgreementAmended',
        data: { version: 2, reasonForChange: 'new purpose', changes: { purposes: ['youth justice'] } },
      };
      const ctx = context({}, [...activeAgreement(), amended]);
      given(ctx)
        .when(request({ purpose: 'youth justice' }))
        .thenRefused('share.purpose-not-permitted', 'AccessDenied');
      expect(given(ctx).when().thenAllowed().agreementVersion).toBe(1);
    });
  });

  describe('rule 2: sender, recipients and user', () => {
    it.each(['admin', 'auditor'])('given a %s, then share.user-role', (role) => {
      given(withUser({ role })).when().thenRefused('share.user-role', 'AccessDenied');
    });
    it('the role alone is judged before anything else is read: shareRoleRefusal', () => {
      expect(shareRoleRefusal('auditor')?.reason).toBe('share.user-role');
      expect(shareRoleRefusal('practitioner')).toBeUndefined();
    });
    it('given an IG lead of the sender, the share is allowed', () => {
      given(withUser({ role: 'ig-lead' }))
        .when()
        .thenAllowed();
    });
    it('given a suspended user, then share.user-suspended', () => {
      given(withUser({ active: false }))
        .when()
        .thenRefused('share.user-suspended', 'AccessDenied');
    });
    it('given a user who has not accepted the access agreement, then share.access-agreement-not-accepted', () => {
      given(withUser({ acceptedAccessAgreement: false }))
        .when()
        .thenRefused('share.access-agreement-not-accepted', 'AccessDenied');
    });
    it('given a sender whose organisation is not a party, then share.sender-not-party', () => {
      given(withUser({ orgId: 'outsider' }))
        .when()
        .thenRefused('share.sender-not-party', 'AccessDenied');
    });
    it('when no recipient is named, then share.recipients-required', () => {
      given()
        .when(request({ recipients: [' '] }))
        .thenRefused('share.recipients-required', 'AccessDenied');
    });
    it('when the sender names itself, then share.recipient-is-sender', () => {
      given()
        .when(request({ recipients: ['council'] }))
        .thenRefused('share.recipient-is-sender', 'AccessDenied');
    });
    it('when a recipient is not a party, then share.recipient-not-party naming it', () => {
      const refusal = given()
        .when(request({ recipients: ['police', 'outsider'] }))
        .thenRefused('share.recipient-not-party', 'AccessDenied');
      expect(refusal.extra).toEqual({ recipients: ['outsider'] });
    });
    it('when a recipient party is not in the directory, then share.recipient-not-registered', () => {
      const ctx = context({ organisations: { council: uk(), police: uk() } });
      given(ctx)
        .when(request({ recipients: ['trust'] }))
        .thenRefused('share.recipient-not-registered', 'AccessDenied');
    });
  });

  describe('rule 3: purpose and data categories', () => {
    it('when the purpose is not one of the agreement’s, then share.purpose-not-permitted', () => {
      given()
        .when(request({ purpose: 'marketing' }))
        .thenRefused('share.purpose-not-permitted', 'AccessDenied');
    });
    it('a purpose differing only in spacing is the same purpose', () => {
      given()
        .when(request({ purpose: '  early   help assessment ' }))
        .thenAllowed();
    });
    it('when no data category is declared, then share.categories-required', () => {
      given()
        .when(request({ dataCategories: [] }))
        .thenRefused('share.categories-required', 'AccessDenied');
    });
    it('when a category is outside the agreement, then share.category-not-permitted naming it', () => {
      const refusal = given()
        .when(request({ dataCategories: ['name', 'religion', 'favourite colour'] }))
        .thenRefused('share.category-not-permitted', 'AccessDenied');
      expect(refusal.extra).toEqual({ dataCategories: ['religion', '(not a category)'] });
    });
    it('given terms with health data but no Article 9 condition, then share.special-category-without-art9', () => {
      const history = [
        drafted({ lawfulBases: ['uk-gdpr-art6-1-e', 'dpa2018-sch1-pt2-para18'] }),
        ...allSign(['council', 'police', 'trust'], 1, '2024-01-15T10:00:00.000Z'),
      ];
      given(context({}, history)).when().thenRefused('share.special-category-without-art9', 'AccessDenied');
    });
    it('given terms with criminal-offence data but no Schedule 1 condition or Part 3, then share.criminal-offence-without-condition', () => {
      const history = [
        drafted({ lawfulBases: ['uk-gdpr-art6-1-e', 'uk-gdpr-art9-2-g'] }),
        ...allSign(['council', 'police', 'trust'], 1, '2024-01-15T10:00:00.000Z'),
      ];
      given(context({}, history))
        .when(request({ dataCategories: ['criminal-investigations'] }))
        .thenRefused('share.criminal-offence-without-condition', 'AccessDenied');
    });
  });
});

describe('share policy: parties over time (docs/architecture.md §28)', () => {
  const withdrawn = (orgId: string, effectiveAt: string): AgreementEvent => ({
    type: 'PartyWithdrawn',
    data: { orgId, effectiveAt },
  });
  it('given the sender organisation has withdrawn, then share.party-withdrawn', () => {
    given(context({}, [...activeAgreement(), withdrawn('council', '2024-02-01T00:00:00.000Z')]))
      .when()
      .thenRefused('share.party-withdrawn', 'AccessDenied');
  });
  it('given a recipient has withdrawn, then share.recipient-withdrawn; before its date, sharing continues', () => {
    given(context({}, [...activeAgreement(), withdrawn('police', '2024-02-01T00:00:00.000Z')]))
      .when()
      .thenRefused('share.recipient-withdrawn', 'AccessDenied');
    given(context({}, [...activeAgreement(), withdrawn('police', '2024-03-01T00:00:00.000Z')]))
      .when()
      .thenAllowed();
  });
});
