import { fold } from '../shared/decider';
import { DocumentCommand } from './document.commands';
import { documentDecider } from './document.decider';
import { DocumentRefusal } from './document.errors';
import { DocumentEvent, DocumentShared } from './document.events';

const RETAIN_UNTIL = '2025-01-01T00:00:00.000Z';
const BEFORE = { now: new Date('2024-12-31T23:59:59.999Z') };
const AFTER = { now: new Date('2025-01-01T00:00:00.000Z') };
const KEY = 'documents/0190a1b2-0000-7000-8000-000000000001.u1';

const shared: DocumentShared = {
  type: 'DocumentShared',
  data: {
    agreementId: 'agreement-1',
    agreementVersion: 1,
    senderOrg: 'council',
    recipients: ['police'],
    purpose: 'early help',
    dataCategories: ['name'],
    subjectRefs: [],
    nature: 'fact',
    title: 'Referral',
    objectKey: KEY,
    size: 1,
    sha256: 'a'.repeat(64),
    recipientFingerprints: ['fpr-police'],
    storageRegion: 'uk',
    sharedAt: '2024-01-01T00:00:00.000Z',
    retainUntil: RETAIN_UNTIL,
    mode: 'server-encrypted',
  },
};
const placed: DocumentEvent = { type: 'LegalHoldPlaced', data: { reason: 'litigation', orgId: 'police' } };
const released: DocumentEvent = { type: 'LegalHoldReleased', data: { reason: 'settled', orgId: 'police' } };
const expired: DocumentEvent = { type: 'RetentionExpired', data: { retainUntil: RETAIN_UNTIL } };
const destroyed: DocumentEvent = { type: 'PayloadDestroyed', data: { objectKey: KEY } };

const place: DocumentCommand = {
  type: 'PlaceLegalHold',
  data: { reason: 'litigation', orgId: 'police' },
  metadata: AFTER,
};
const release: DocumentCommand = {
  type: 'ReleaseLegalHold',
  data: { reason: 'settled', orgId: 'police' },
  metadata: AFTER,
};
const expire = (metadata = AFTER): DocumentCommand => ({ type: 'ExpireRetention', data: {}, metadata });
const recordDestroyed: DocumentCommand = { type: 'RecordPayloadDestroyed', data: {}, metadata: AFTER };

const when = (given: DocumentEvent[], command: DocumentCommand) =>
  documentDecider.decide(command, fold(documentDecider, given));
const refusalOf = (given: DocumentEvent[], command: DocumentCommand): string => {
  try {
    when(given, command);
  } catch (error) {
    if (error instanceof DocumentRefusal) return error.reason;
    throw error;
  }
  throw new Error('expected a refusal');
};

describe('document decider: legal hold and retention', () => {
  it('places a hold on a shared document, and refuses a second one', () => {
    expect(when([shared], place)).toEqual([placed]);
    expect(refusalOf([shared, placed], place)).toBe('retention.hold-already-placed');
  });

  it('releases only a hold that is placed', () => {
    expect(when([shared, placed], release)).toEqual([released]);
    expect(refusalOf([shared], release)).toBe('retention.hold-not-placed');
    expect(refusalOf([shared, placed, released], release)).toBe('retention.hold-not-placed');
  });

  it('holds per organisation: each places its own, releases only its own, and the document stays held until the last is released', () => {
    const byCouncil = (type: 'PlaceLegalHold' | 'ReleaseLegalHold'): DocumentCommand => ({
      type,
      data: { reason: 'review', orgId: 'council' },
      metadata: AFTER,
    });
    const councilPlaced: DocumentEvent = {
      type: 'LegalHoldPlaced',
      data: { reason: 'review', orgId: 'council' },
    };
    const councilReleased: DocumentEvent = {
      type: 'LegalHoldReleased',
      data: { reason: 'review', orgId: 'council' },
    };
    expect(when([shared, placed], byCouncil('PlaceLegalHold'))).toEqual([councilPlaced]);
    // The council cannot end the police's hold.
    expect(refusalOf([shared, placed], byCouncil('ReleaseLegalHold'))).toBe('retention.hold-not-placed');
    expect(refusalOf([shared, placed, councilPlaced, councilReleased], expire())).toBe(
      'retention.on-legal-hold',
    );
    expect(when([shared, placed, councilPlaced, councilReleased, released], expire())).toEqual([expired]);
    // History from before: one hold, released by another party, ended it.
    const legacy: DocumentEvent = { type: 'LegalHoldReleased', data: { reason: 'done', orgId: 'council' } };
    expect(when([shared, placed, legacy], expire())).toEqual([expired]);
  });

  it('refuses a hold once retention has expired: destruction is already committed', () => {
    expect(refusalOf([shared, expired], place)).toBe('retention.already-expired');
  });

  it('refuses every retention command for a stream with no shared document', () => {
    for (const command of [place, release, expire(), recordDestroyed])
      expect(refusalOf([], command)).toBe('document.not-found');
  });

  it('expires retention at retainUntil, not a millisecond before', () => {
    expect(refusalOf([shared], expire(BEFORE))).toBe('retention.not-due');
    expect(when([shared], expire())).toEqual([expired]);
  });

  it('does not expire a held document, and does once the hold is released', () => {
    expect(refusalOf([shared, placed], expire())).toBe('retention.on-legal-hold');
    expect(when([shared, placed, released], expire())).toEqual([expired]);
  });

  it('answers a repeated expiry with no event (a re-run job appends nothing twice)', () => {
    expect(when([shared, expired], expire())).toEqual([]);
  });

  it('records the payload destroyed only after retention expired, and only once', () => {
    expect(refusalOf([shared], recordDestroyed)).toBe('retention.not-expired');
    expect(when([shared, expired], recordDestroyed)).toEqual([destroyed]);
    expect(when([shared, expired, destroyed], recordDestroyed)).toEqual([]);
  });
});
