import { AgreementEvent } from '../agreement/agreement.events';
import { activeAgreement, stateOf } from '../testing/agreement-examples';
import { DocumentCommand, StoredPayload } from './document.commands';
import { documentDecider, refusalOf } from './document.decider';
import { DocumentRefusal, DocumentRefusalCode, refuse, block } from './document.errors';
import { DocumentEvent, DocumentShared } from './document.events';
import { DocumentState, lifecycleOf } from './document.state';
import { ApprovedShare } from './share.policy';

const NOW = '2024-02-01T09:00:00.000Z';
const metadata = { now: new Date(NOW) };
const KEY = 'documents/0190a1b2-0000-7000-8000-000000000001.u1';

const approved: ApprovedShare = {
  agreementId: 'agreement-1',
  agreementVersion: 1,
  senderOrg: 'council',
  recipients: ['police'],
  purpose: 'early help assessment',
  dataCategories: ['name'],
  retainUntil: '2030-02-01T09:00:00.000Z',
  reviewOverdue: false,
  recipientKeys: { police: ['fpr-police'] },
};
const payload: StoredPayload = {
  objectKey: KEY,
  size: 120,
  sha256: 'a'.repeat(64),
  recipientFingerprints: ['fpr-police'],
  storageRegion: 'uk',
  mode: 'server-encrypted',
};
const shareCommand = (objectKey = KEY): DocumentCommand => ({
  type: 'ShareDocument',
  data: {
    share: approved,
    subjectRefs: ['b'.repeat(64)],
    nature: 'fact',
    title: 'Referral',
    payload: { ...payload, objectKey },
  },
  metadata,
});
const shared: DocumentShared = {
  type: 'DocumentShared',
  data: {
    agreementId: 'agreement-1',
    agreementVersion: 1,
    senderOrg: 'council',
    recipients: ['police'],
    purpose: 'early help assessment',
    dataCategories: ['name'],
    subjectRefs: ['b'.repeat(64)],
    nature: 'fact',
    title: 'Referral',
    objectKey: KEY,
    size: 120,
    sha256: 'a'.repeat(64),
    recipientFingerprints: ['fpr-police'],
    storageRegion: 'uk',
    sharedAt: NOW,
    retainUntil: '2030-02-01T09:00:00.000Z',
    mode: 'server-encrypted',
  },
};

const fold = (events: DocumentEvent[]): DocumentState =>
  events.reduce(documentDecider.evolve, documentDecider.initialState());

function given(events: DocumentEvent[] = []) {
  const state = fold(events);
  return {
    when(command: DocumentCommand) {
      const run = () => documentDecider.decide(command, state);
      return {
        then: (expected: DocumentEvent[]) => expect(run()).toEqual(expected),
        thenFails(code: DocumentRefusalCode) {
          let caught: unknown;
          try {
            run();
          } catch (error) {
            caught = error;
          }
          expect(caught).toBeInstanceOf(DocumentRefusal);
          expect((caught as DocumentRefusal).reason).toBe(code);
        },
      };
    },
  };
}

const open = (
  user: { orgId: string | null; role: string; suspended?: boolean },
  options: { country?: string; agreement?: AgreementEvent[] } = {},
): DocumentCommand => ({
  type: 'OpenDocument',
  data: {
    user: { userId: 'u-1', ...user },
    agreement: stateOf(options.agreement ?? activeAgreement()),
    client: { ip: '127.0.0.1', country: options.country ?? 'GB' },
  },
  metadata,
});
const denied = (reason: string, orgId?: string): DocumentEvent => ({
  type: 'AccessDenied',
  data: { reason, ...(orgId ? { orgId } : {}) },
});
const practitioner = (orgId: string) => ({ orgId, role: 'practitioner' });

describe('document decider', () => {
  describe('sharing', () => {
    it('given nothing shared, when an approved share is recorded, then DocumentShared with the time of the share', () => {
      given().when(shareCommand()).then([shared]);
    });
    it('given a document already shared, then document.already-shared', () => {
      given([shared]).when(shareCommand()).thenFails('document.already-shared');
    });
    it('given refusals earlier on the stream (a retried upload), the share is still recorded', () => {
      given([denied('share.purpose-not-permitted', 'council')])
        .when(shareCommand())
        .then([shared]);
    });
    it('given the reconciler claimed this upload’s object, then document.payload-swept: no event may point at it', () => {
      given([{ type: 'OrphanPayloadDeleted', data: { objectKey: KEY } }])
        .when(shareCommand())
        .thenFails('document.payload-swept');
    });
    it('given the reconciler claimed an earlier attempt’s object, a new attempt’s object is recorded', () => {
      const other = `${KEY}x`;
      given([{ type: 'OrphanPayloadDeleted', data: { objectKey: other } }])
        .when(shareCommand())
        .then([shared]);
    });
  });

  describe('refused shares', () => {
    it('a policy refusal is recorded as AccessDenied with the sender organisation and agreement', () => {
      given()
        .when({
          type: 'RecordShareRefusal',
          data: { refusal: refuse('share.purpose-not-permitted'), orgId: 'council', agreementId: 'a-1' },
          metadata,
        })
        .then([
          {
            type: 'AccessDenied',
            data: { reason: 'share.purpose-not-permitted', orgId: 'council', agreementId: 'a-1' },
          },
        ]);
    });
    it('a UK-only refusal is recorded as TransferBlocked with its destination', () => {
      given()
        .when({
          type: 'RecordShareRefusal',
          data: { refusal: block('transfer.client-outside-uk', 'FR'), orgId: 'council', agreementId: 'a-1' },
          metadata,
        })
        .then([
          {
            type: 'TransferBlocked',
            data: {
              reason: 'transfer.client-outside-uk',
              destination: 'FR',
              orgId: 'council',
              agreementId: 'a-1',
            },
          },
        ]);
    });
  });

  describe('opening', () => {
    it('given a shared document, a recipient practitioner in the UK opens it: DocumentAccessed', () => {
      given([shared])
        .when(open(practitioner('police')))
        .then([
          { type: 'DocumentAccessed', data: { client: { ip: '127.0.0.1', country: 'GB' }, orgId: 'police' } },
        ]);
    });
    it('the sender organisation may open what it sent', () => {
      given([shared])
        .when(open({ orgId: 'council', role: 'ig-lead' }))
        .then([
          {
            type: 'DocumentAccessed',
            data: { client: { ip: '127.0.0.1', country: 'GB' }, orgId: 'council' },
          },
        ]);
    });
    it('an organisation neither sender nor recipient: AccessDenied open.not-a-recipient, answered as not found', () => {
      given([shared])
        .when(open(practitioner('trust')))
        .then([denied('open.not-a-recipient', 'trust')]);
      const refusal = refuse('open.not-a-recipient');
      expect({ code: refusal.code, status: refusal.status }).toEqual({
        code: 'document.not-found',
        status: 404,
      });
    });
    it.each([
      ['auditor', 'police'],
      ['admin', null],
    ])('a user in the %s role never opens content: AccessDenied open.role-not-permitted', (role, orgId) => {
      given([shared])
        .when(open({ orgId, role }))
        .then([denied('open.role-not-permitted', orgId ?? undefined)]);
    });
    it('given no document, nothing is recorded and the answer is document.not-found (an auditor still gets 403)', () => {
      given()
        .when(open(practitioner('police')))
        .thenFails('document.not-found');
      given()
        .when(open({ orgId: 'police', role: 'auditor' }))
        .thenFails('open.role-not-permitted');
    });
    it.each<[string, DocumentEvent, DocumentRefusalCode, number]>([
      [
        'restricted',
        { type: 'ProcessingRestricted', data: { reason: 'art 18' } },
        'open.processing-restricted',
        403,
      ],
      ['destroyed', { type: 'PayloadDestroyed', data: { objectKey: KEY } }, 'open.payload-destroyed', 410],
      ['erased', { type: 'DocumentErased', data: { requestId: 'r-1' } }, 'open.document-erased', 410],
    ])('given the document %s, then AccessDenied %s', (_what, event, code, status) => {
      given([shared, event])
        .when(open(practitioner('police')))
        .then([denied(code, 'police')]);
      expect(refuse(code).status).toBe(status);
    });
    it('given a restriction lifted, the document opens again', () => {
      const restricted: DocumentEvent = { type: 'ProcessingRestricted', data: { reason: 'art 18' } };
      const lifted: DocumentEvent = { type: 'RestrictionLifted', data: { reason: 'resolved' } };
      expect(
        documentDecider.decide(open(practitioner('police')), fold([shared, restricted, lifted]))[0]!.type,
      ).toBe('DocumentAccessed');
    });
    it('given the agreement terminated, then AccessDenied open.agreement-terminated', () => {
      const ended: AgreementEvent = {
        type: 'AgreementTerminated',
        data: { noticeServedBy: 'police', effectiveAt: '2024-01-31T00:00:00.000Z' },
      };
      given([shared])
        .when(open(practitioner('police'), { agreement: [...activeAgreement(), ended] }))
        .then([denied('open.agreement-terminated', 'police')]);
    });
    it('a suspended user of a recipient: AccessDenied open.user-suspended, recorded and refused with 403', () => {
      given([shared])
        .when(open({ ...practitioner('police'), suspended: true }))
        .then([denied('open.user-suspended', 'police')]);
      expect(refuse('open.user-suspended').status).toBe(403);
    });
    it('a suspended outsider is told only what any outsider is told: not found', () => {
      given([shared])
        .when(open({ ...practitioner('trust'), suspended: true }))
        .then([denied('open.not-a-recipient', 'trust')]);
    });
    it('given the agreement suspended, then AccessDenied open.agreement-suspended', () => {
      const suspended: AgreementEvent = { type: 'AgreementSuspended', data: { reason: 'breach' } };
      given([shared])
        .when(open(practitioner('police'), { agreement: [...activeAgreement(), suspended] }))
        .then([denied('open.agreement-suspended', 'police')]);
    });
    it('given a client outside the UK, then TransferBlocked transfer.client-outside-uk', () => {
      given([shared])
        .when(open(practitioner('police'), { country: 'FR' }))
        .then([
          {
            type: 'TransferBlocked',
            data: { reason: 'transfer.client-outside-uk', destination: 'FR', orgId: 'police' },
          },
        ]);
    });
    it('a legal hold does not stop opening; the lifecycle says held', () => {
      const held = fold([
        shared,
        { type: 'LegalHoldPlaced', data: { reason: 'litigation', orgId: 'council' } },
      ]);
      expect(documentDecider.decide(open(practitioner('police')), held)[0]!.type).toBe('DocumentAccessed');
      expect(held.status === 'shared' && lifecycleOf(held)).toBe('held');
    });
  });

  describe('orphans', () => {
    const claim: DocumentCommand = { type: 'DeleteOrphanPayload', data: { objectKey: KEY }, metadata };
    it('given no share, the reconciler’s claim is recorded once', () => {
      given()
        .when(claim)
        .then([{ type: 'OrphanPayloadDeleted', data: { objectKey: KEY } }]);
      given([{ type: 'OrphanPayloadDeleted', data: { objectKey: KEY } }])
        .when(claim)
        .then([]);
    });
    it('given a share of that very object, the claim is refused: it is not an orphan', () => {
      given([shared]).when(claim).thenFails('document.already-shared');
    });
  });

  it('refusalOf turns a recorded refusal back into its answer', () => {
    const refusal = refusalOf({
      type: 'TransferBlocked',
      data: { reason: 'transfer.client-outside-uk', destination: 'FR' },
    });
    expect({ code: refusal.code, status: refusal.status, destination: refusal.destination }).toEqual({
      code: 'transfer.client-outside-uk',
      status: 403,
      destination: 'FR',
    });
  });
});
