import { fold } from '../shared/decider';
import { activeAgreement, stateOf } from '../testing/agreement-examples';
import { DocumentCommand } from './document.commands';
import { documentDecider } from './document.decider';
import { DocumentRefusal } from './document.errors';
import { DocumentEvent, DocumentShared } from './document.events';
import { evaluateOpen } from './open.policy';

const NOW = { now: new Date('2026-05-01T10:00:00.000Z') };
const KEY = 'documents/0190a1b2-0000-7000-8000-000000000002';
const shared: DocumentShared = {
  type: 'DocumentShared',
  data: {
    agreementId: 'isa-1',
    agreementVersion: 1,
    senderOrg: 'council',
    recipients: ['police', 'trust'],
    purpose: 'early help',
    dataCategories: ['name'],
    subjectRefs: ['a'.repeat(64)],
    nature: 'fact',
    title: 'Referral',
    objectKey: KEY,
    size: 1,
    sha256: 'a'.repeat(64),
    recipientFingerprints: ['fpr'],
    storageRegion: 'uk',
    sharedAt: '2026-01-01T00:00:00.000Z',
    retainUntil: '2030-01-01T00:00:00.000Z',
    mode: 'server-encrypted',
  },
};
const cmd = (type: DocumentCommand['type'], data: object): DocumentCommand =>
  ({ type, data, metadata: NOW }) as DocumentCommand;
const when = (given: DocumentEvent[], command: DocumentCommand) =>
  documentDecider.decide(command, fold(documentDecider, given));
const refusal = (given: DocumentEvent[], command: DocumentCommand): string => {
  try {
    when(given, command);
  } catch (error) {
    if (error instanceof DocumentRefusal) return error.reason;
    throw error;
  }
  throw new Error('expected a refusal');
};

const restrict = cmd('RestrictProcessing', { reason: 'accuracy disputed', requestId: 'r1', orgId: 'police' });
const restricted: DocumentEvent = {
  type: 'ProcessingRestricted',
  data: { reason: 'accuracy disputed', requestId: 'r1', orgId: 'police' },
};
const erased: DocumentEvent = { type: 'DocumentErased', data: { requestId: 'r2' } };

describe('document: restriction of processing (UK GDPR Art 18)', () => {
  it('restricts once; a repeat records nothing', () => {
    expect(when([shared], restrict)).toEqual([restricted]);
    expect(when([shared, restricted], restrict)).toEqual([]);
  });

  it('while restricted, every open is refused and recorded', () => {
    const state = fold(documentDecider, [shared, restricted]);
    const verdict = evaluateOpen(state, {
      ...NOW,
      user: { userId: 'u', orgId: 'council', role: 'practitioner' },
      agreement: { status: 'none' },
      client: { ip: '127.0.0.1', country: 'GB' },
    });
    expect(verdict.allowed ? 'allowed' : verdict.refusal.reason).toBe('open.processing-restricted');
  });

  it('is lifted by the organisation that applied it, not by another', () => {
    const lift = (orgId: string) => cmd('LiftRestriction', { reason: 'resolved', requestId: 'r3', orgId });
    expect(refusal([shared, restricted], lift('council'))).toBe('restriction.other-organisation');
    expect(when([shared, restricted], lift('police'))).toEqual([
      { type: 'RestrictionLifted', data: { reason: 'resolved', requestId: 'r3', orgId: 'police' } },
    ]);
    expect(when([shared], lift('police'))).toEqual([]);
  });

  it("stands per organisation: another's restriction is recorded beside it, and one's lift leaves the other's", () => {
    const byCouncil = (type: 'RestrictProcessing' | 'LiftRestriction') =>
      cmd(type, { reason: 'disputed', requestId: 'r4', orgId: 'council' });
    const councilRestricted: DocumentEvent = {
      type: 'ProcessingRestricted',
      data: { reason: 'disputed', requestId: 'r4', orgId: 'council' },
    };
    expect(when([shared, restricted], byCouncil('RestrictProcessing'))).toEqual([councilRestricted]);
    const [councilLifted] = when([shared, restricted, councilRestricted], byCouncil('LiftRestriction'));
    const state = fold(documentDecider, [shared, restricted, councilRestricted, councilLifted!]);
    expect(state).toMatchObject({ restricted: true, restrictedBy: ['police'] });
    // A restriction recorded without an organisation (older history) is lifted by whichever asks.
    const unowned: DocumentEvent = { type: 'ProcessingRestricted', data: { reason: 'old' } };
    expect(when([shared, unowned], byCouncil('LiftRestriction'))).toHaveLength(1);
  });
});

describe('document: erasure (UK GDPR Art 17)', () => {
  const erase = cmd('EraseDocument', { requestId: 'r2' });
  const destroyedNow = cmd('RecordPayloadDestroyed', {});

  it('is recorded before the payload goes, then the destruction, each once', () => {
    expect(when([shared], erase)).toEqual([erased]);
    expect(when([shared, erased], erase)).toEqual([]);
    expect(when([shared, erased], destroyedNow)).toEqual([
      { type: 'PayloadDestroyed', data: { objectKey: KEY } },
    ]);
    expect(
      when([shared, erased, { type: 'PayloadDestroyed', data: { objectKey: KEY } }], destroyedNow),
    ).toEqual([]);
  });

  it('without an erasure or expiry the payload is not destroyed', () => {
    expect(refusal([shared], destroyedNow)).toBe('retention.not-expired');
  });

  it('an erased document takes no other request', () => {
    expect(refusal([shared, erased], restrict)).toBe('document.not-found');
    expect(refusal([shared, erased], cmd('PlaceLegalHold', { reason: 'x', orgId: 'police' }))).toBe(
      'document.not-found',
    );
  });
});

describe('document: rectification (UK GDPR Arts 16 and 19)', () => {
  const supersede = (by: string) => cmd('SupersedeDocument', { supersededBy: by, requestId: 'r4' });
  const superseded: DocumentEvent = {
    type: 'DocumentSuperseded',
    data: { supersededBy: 'new', requestId: 'r4', agreementId: 'isa-1', recipients: ['police', 'trust'] },
  };

  it('links the old document to the corrected one and names the recipients to tell', () => {
    expect(when([shared], supersede('new'))).toEqual([superseded]);
    expect(when([shared, superseded], supersede('new'))).toEqual([]);
    expect(refusal([shared, superseded], supersede('other'))).toBe('document.already-superseded');
  });
});

describe('open policy: parties over time (docs/architecture.md §28)', () => {
  it('a party that has withdrawn opens nothing more under the agreement: open.party-withdrawn', () => {
    const state = fold(documentDecider, [shared]);
    const agreement = stateOf([
      ...activeAgreement(),
      { type: 'PartyWithdrawn', data: { orgId: 'police', effectiveAt: '2024-01-20T00:00:00.000Z' } },
    ]);
    const open = (orgId: string) =>
      evaluateOpen(state, {
        ...NOW,
        user: { userId: 'u', orgId, role: 'practitioner' },
        agreement,
        client: { ip: '127.0.0.1', country: 'GB' },
      });
    const police = open('police');
    expect(police.allowed ? 'allowed' : police.refusal.reason).toBe('open.party-withdrawn');
    expect(open('council').allowed).toBe(true);
  });
});
