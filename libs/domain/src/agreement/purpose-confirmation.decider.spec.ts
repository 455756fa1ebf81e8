import { activeAgreement, command, drafted, input } from '../testing/agreement-examples';
import { deciderSpec } from '../testing/decider-spec';
import { agreementDecider } from './agreement.decider';
import { AgreementEvent } from './agreement.events';
import { requiresPurposeConfirmation } from '../document/open.policy';

/** `requirePurposeConfirmation` in the terms (docs/architecture.md §26). */
const spec = deciderSpec(agreementDecider);
const amend = (changes: Record<string, unknown>) =>
  command('AmendAgreement', { orgId: 'council', reasonForChange: 'Caldicott review', changes });

describe('agreement terms: purpose confirmation at opening', () => {
  it('is recorded when true and left out otherwise, so earlier terms hash as they did', () => {
    spec
      .given([])
      .when(command('DraftAgreement', input({ requirePurposeConfirmation: true })))
      .then([drafted({ requirePurposeConfirmation: true })]);
    spec
      .given([])
      .when(command('DraftAgreement', input({ requirePurposeConfirmation: false })))
      .then([drafted()]);
  });

  it('is amendable both ways, and the terms in force decide', () => {
    const on = spec.given(activeAgreement()).when(amend({ requirePurposeConfirmation: true }));
    on.then([
      {
        type: 'AgreementAmended',
        data: {
          version: 2,
          reasonForChange: 'Caldicott review',
          changes: { requirePurposeConfirmation: true },
        },
      },
    ]);
    const required: AgreementEvent[] = [drafted({ requirePurposeConfirmation: true })];
    spec
      .given(required)
      .when(amend({ requirePurposeConfirmation: false }))
      .then([
        {
          type: 'AgreementAmended',
          data: {
            version: 2,
            reasonForChange: 'Caldicott review',
            changes: { requirePurposeConfirmation: false },
          },
        },
      ]);
    // Drafted but not yet in force: the draft's terms are read.
    expect(
      requiresPurposeConfirmation(
        spec
          .given(required)
          .when(amend({ title: 'Renamed' }))
          .thenState(),
      ),
    ).toBe(true);
  });
});
