import { AgreementEvent } from '../agreement/agreement.events';
import { activeAgreement, allSign, drafted, stateOf } from '../testing/agreement-examples';
import { DocumentCommand } from './document.commands';
import { documentDecider } from './document.decider';
import { DocumentRefusal, DocumentRefusalCode } from './document.errors';
import { DocumentEvent, DocumentShared } from './document.events';
import { DocumentState } from './document.state';
import { addressTeams } from './team-addressing';
import { noTeams } from '../organisation/teams';
import { isDocumentRefusal } from './document.errors';

const NOW = '2024-02-01T09:00:00.000Z';
const metadata = { now: new Date(NOW) };
const PPU = 'team-ppu';
const TRAFFIC = 'team-traffic';
const shared = (recipientTeams?: Record<string, string[]>): DocumentShared => ({
  type: 'DocumentShared',
  data: {
    agreementId: 'agreement-1',
    agreementVersion: 1,
    senderOrg: 'council',
    recipients: ['police', 'trust'],
    purpose: 'early help assessment',
    dataCategories: ['name'],
    subjectRefs: [],
    nature: 'opinion',
    title: 'Referral',
    objectKey: 'documents/x.u1',
    size: 1,
    sha256: 'a'.repeat(64),
    recipientFingerprints: ['f'],
    storageRegion: 'uk',
    sharedAt: NOW,
    retainUntil: '2030-01-01T00:00:00.000Z',
    mode: 'server-encrypted',
    ...(recipientTeams ? { recipientTeams } : {}),
  },
});
const fold = (events: DocumentEvent[]): DocumentState =>
  events.reduce(documentDecider.evolve, documentDecider.initialState());
const decide = (events: DocumentEvent[], command: DocumentCommand) =>
  documentDecider.decide(command, fold(events));
const failure = (events: DocumentEvent[], command: DocumentCommand): DocumentRefusalCode | undefined => {
  try {
    decide(events, command);
  } catch (error) {
    if (error instanceof DocumentRefusal) return error.reason;
    throw error;
  }
  return undefined;
};
const open = (
  user: { userId?: string; orgId: string; role?: string; teams?: string[] },
  options: { purpose?: string; agreement?: AgreementEvent[] } = {},
): DocumentCommand => ({
  type: 'OpenDocument',
  data: {
    user: {
      userId: user.userId ?? 'u-1',
      orgId: user.orgId,
      role: user.role ?? 'practitioner',
      ...(user.teams ? { teams: user.teams } : {}),
    },
    agreement: stateOf(options.agreement ?? activeAgreement()),
    client: { ip: '127.0.0.1', country: 'GB' },
    ...(options.purpose !== undefined ? { purpose: options.purpose } : {}),
  },
  metadata,
});
const accessed = (orgId: string, purpose?: string): DocumentEvent => ({
  type: 'DocumentAccessed',
  data: { client: { ip: '127.0.0.1', country: 'GB' }, orgId, ...(purpose ? { purpose } : {}) },
});
const denied = (reason: string, orgId: string): DocumentEvent => ({
  type: 'AccessDenied',
  data: { reason, orgId },
});

describe('need-to-know: teams (docs/architecture.md §24)', () => {
  const addressed = shared({ police: [PPU] });
  it('given a share addressed to the public protection unit, a member opens it', () => {
    expect(decide([addressed], open({ orgId: 'police', teams: [PPU] }))).toEqual([accessed('police')]);
  });
  it('a colleague outside the team (the traffic officer) is refused and recorded: open.not-addressed, 403', () => {
    expect(decide([addressed], open({ orgId: 'police', teams: [TRAFFIC] }))).toEqual([
      denied('open.not-addressed', 'police'),
    ]);
    expect(decide([addressed], open({ orgId: 'police', role: 'ig-lead' }))).toEqual([
      denied('open.not-addressed', 'police'),
    ]);
  });
  it('another recipient that was not addressed to teams receives it whole; the sender organisation keeps its access', () => {
    expect(decide([addressed], open({ orgId: 'trust' }))).toEqual([accessed('trust')]);
    expect(decide([addressed], open({ orgId: 'council' }))).toEqual([accessed('council')]);
  });
  it('an outsider is still answered as not found, before any team question', () => {
    expect(decide([addressed], open({ orgId: 'fire' }))).toEqual([denied('open.not-a-recipient', 'fire')]);
  });
  it('the share is recorded with the teams addressed', () => {
    const state = fold([addressed]);
    expect(state.status === 'shared' && state.document.recipientTeams).toEqual({ police: [PPU] });
  });
});

describe('addressTeams: which teams a share reaches', () => {
  const police = {
    teams: { [PPU]: { name: 'PPU', members: [] }, [TRAFFIC]: { name: 'Traffic', members: [] } },
    defaultTeam: PPU,
  };
  const teamsOf = (orgId: string) => (orgId === 'police' ? police : noTeams());
  it('named teams win; without names the default receiving team; without a default the whole organisation', () => {
    expect(addressTeams({ police: [TRAFFIC] }, ['police', 'trust'], teamsOf)).toEqual({
      recipientTeams: { police: [TRAFFIC] },
    });
    expect(addressTeams(undefined, ['police', 'trust'], teamsOf)).toEqual({
      recipientTeams: { police: [PPU] },
    });
  });
  it('refuses a team the organisation does not have, and teams of an organisation that is not a recipient', () => {
    const unknown = addressTeams({ police: ['team-x'] }, ['police'], teamsOf);
    expect('refusal' in unknown && unknown.refusal.reason).toBe('share.team-not-found');
    const stranger = addressTeams({ council: [PPU] }, ['police'], teamsOf);
    expect('refusal' in stranger && stranger.refusal.reason).toBe('share.team-org-not-recipient');
  });
});

describe('revocation (docs/architecture.md §25)', () => {
  const revoke = (
    user: { userId: string; orgId: string; role: string },
    reason = 'sent to the wrong force',
    sharedBy: string | null = 'u-sender',
  ): DocumentCommand => ({
    type: 'RevokeDocument',
    data: { reason, user, sharedBy },
    metadata,
  });
  const sender = { userId: 'u-sender', orgId: 'council', role: 'practitioner' };
  const revoked: DocumentEvent = {
    type: 'DocumentRevoked',
    data: {
      reason: 'sent to the wrong force',
      revokedBy: 'u-sender',
      orgId: 'council',
      agreementId: 'agreement-1',
      recipients: ['police', 'trust'],
      recipientTeams: { police: [PPU] },
    },
  };
  it('the sender revokes: DocumentRevoked naming the recipients and their teams, so they can be told', () => {
    expect(decide([shared({ police: [PPU] })], revoke(sender))).toEqual([revoked]);
  });
  it('the sending organisation’s IG lead may revoke; a colleague practitioner or a recipient is refused and recorded', () => {
    expect(decide([shared()], revoke({ userId: 'u-lead', orgId: 'council', role: 'ig-lead' }))[0]?.type).toBe(
      'DocumentRevoked',
    );
    expect(decide([shared()], revoke({ userId: 'u-2', orgId: 'council', role: 'practitioner' }))).toEqual([
      denied('revocation.not-permitted', 'council'),
    ]);
    expect(decide([shared()], revoke({ userId: 'u-3', orgId: 'police', role: 'ig-lead' }))).toEqual([
      denied('revocation.not-permitted', 'police'),
    ]);
  });
  it('an outsider learns nothing; a blank reason, a second revocation and a destroyed payload are refused', () => {
    expect(failure([shared()], revoke({ userId: 'u-9', orgId: 'fire', role: 'ig-lead' }))).toBe(
      'document.not-found',
    );
    expect(failure([shared()], revoke(sender, '  '))).toBe('revocation.reason-required');
    expect(failure([shared({ police: [PPU] }), revoked], revoke(sender))).toBe('revocation.already-revoked');
    const destroyed: DocumentEvent[] = [
      { type: 'RetentionExpired', data: { retainUntil: NOW } },
      { type: 'PayloadDestroyed', data: { objectKey: 'documents/x.u1' } },
    ];
    expect(failure([shared(), ...destroyed], revoke(sender))).toBe('revocation.payload-gone');
  });
  it('every later open is refused and recorded as open.revoked (410), even for a member of the addressed team', () => {
    expect(decide([shared({ police: [PPU] }), revoked], open({ orgId: 'police', teams: [PPU] }))).toEqual([
      denied('open.revoked', 'police'),
    ]);
    const refusal = new DocumentRefusal('open.revoked');
    expect(refusal.status).toBe(410);
  });
  it('the payload is destroyed as retention destroys it: PayloadDestroyed is accepted without RetentionExpired', () => {
    expect(decide([shared(), revoked], { type: 'RecordPayloadDestroyed', data: {}, metadata })).toEqual([
      { type: 'PayloadDestroyed', data: { objectKey: 'documents/x.u1' } },
    ]);
    expect(failure([shared()], { type: 'RecordPayloadDestroyed', data: {}, metadata })).toBe(
      'retention.not-expired',
    );
  });
});

describe('purpose confirmation at opening (docs/architecture.md §26)', () => {
  const requiring = (): AgreementEvent[] => [
    drafted({ requirePurposeConfirmation: true }),
    ...allSign(['council', 'police', 'trust'], 1, '2024-01-15T10:00:00.000Z'),
  ];
  it('an agreement that requires it: an open without a purpose is refused and recorded, 428 open.purpose-required', () => {
    expect(decide([shared()], open({ orgId: 'police' }, { agreement: requiring() }))).toEqual([
      denied('open.purpose-required', 'police'),
    ]);
    expect(new DocumentRefusal('open.purpose-required').status).toBe(428);
  });
  it('the document’s purpose stated: DocumentAccessed carries it', () => {
    expect(
      decide(
        [shared()],
        open({ orgId: 'police' }, { agreement: requiring(), purpose: ' early help  assessment ' }),
      ),
    ).toEqual([accessed('police', 'early help assessment')]);
  });
  it('another purpose is refused whether or not the agreement requires one', () => {
    expect(
      decide([shared()], open({ orgId: 'police' }, { agreement: requiring(), purpose: 'curiosity' })),
    ).toEqual([denied('open.purpose-required', 'police')]);
    expect(decide([shared()], open({ orgId: 'police' }, { purpose: 'curiosity' }))).toEqual([
      denied('open.purpose-required', 'police'),
    ]);
  });
  it('an agreement that does not require it opens without a purpose, as before', () => {
    expect(decide([shared()], open({ orgId: 'police' }))).toEqual([accessed('police')]);
    expect(isDocumentRefusal(new DocumentRefusal('open.purpose-required'))).toBe(true);
  });
});
