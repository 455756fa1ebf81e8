import { fold } from '../shared/decider';
import type { ErasureCandidate } from './erasure.policy';
import { planErasure } from './erasure.policy';
import type { RectificationDocument, SubjectRequestCommand } from './subject-request.commands';
import { subjectRequestDecider } from './subject-request.decider';
import { isSubjectRequestError, SubjectRequestErrorCode } from './subject-request.errors';
import type { SubjectRequestEvent } from './subject-request.events';

const NOW = new Date('2026-05-01T10:00:00.000Z');
const AT = NOW.toISOString();
const REF = 'a'.repeat(64);

const receive = (
  kind: string,
  over: Partial<Extract<SubjectRequestCommand, { type: 'ReceiveSubjectRequest' }>['data']> = {},
): SubjectRequestCommand => ({
  type: 'ReceiveSubjectRequest',
  data: { kind, subjectRef: REF, orgId: 'council', reason: 'request by letter', ...over },
  metadata: { now: NOW },
});
const complete = (documentIds: string[] = []): SubjectRequestCommand => ({
  type: 'CompleteSubjectRequest',
  data: { documentIds },
  metadata: { now: NOW },
});
const received = (kind: 'access' | 'erasure' | 'restriction'): SubjectRequestEvent => ({
  type: 'SubjectRequestReceived',
  data: { kind, subjectRef: REF, orgId: 'council', reason: 'request by letter', receivedAt: AT },
});

const candidate = (documentId: string, over: Partial<ErasureCandidate> = {}): ErasureCandidate => ({
  documentId,
  agreementId: 'isa-consent',
  senderOrg: 'council',
  lawfulBases: ['uk-gdpr-art6-1-a'],
  legalHold: false,
  erased: false,
  ...over,
});

function given(events: SubjectRequestEvent[]) {
  const state = fold(subjectRequestDecider, events);
  return {
    when: (command: SubjectRequestCommand) => ({
      then: (expected: SubjectRequestEvent[]) =>
        expect(subjectRequestDecider.decide(command, state)).toEqual(expected),
      thenFails: (code: SubjectRequestErrorCode) => {
        let caught: unknown;
        try {
          subjectRequestDecider.decide(command, state);
        } catch (error) {
          caught = error;
        }
        if (!isSubjectRequestError(caught)) throw new Error(`expected ${code}, got ${String(caught)}`);
        expect(caught.code).toBe(code);
      },
    }),
  };
}

describe('subject requests: receipt and completion', () => {
  it('records the request with the subject reference only, then its outcome once', () => {
    given([])
      .when(receive('access'))
      .then([received('access')]);
    const provided: SubjectRequestEvent = {
      type: 'SubjectAccessProvided',
      data: { documentIds: ['d1', 'd2'], providedAt: AT },
    };
    given([received('access')])
      .when(complete(['d1', 'd2', 'd1']))
      .then([provided]);
    // A retry after the outcome appends nothing: the work is done.
    given([received('access'), provided])
      .when(complete(['d1']))
      .then([]);
  });

  it.each<[string, SubjectRequestCommand, SubjectRequestErrorCode]>([
    ['a known kind', receive('forget-me'), 'subject-request.kind-invalid'],
    ['a reason', receive('access', { reason: '  ' }), 'subject-request.reason-required'],
  ])('requires %s', (_rule, command, code) => given([]).when(command).thenFails(code));

  it('is received once, and an unknown request cannot be completed', () => {
    given([received('access')])
      .when(receive('access'))
      .thenFails('subject-request.already-received');
    given([]).when(complete()).thenFails('subject-request.not-found');
  });
});

describe('erasure: UK GDPR Art 17 and its exemptions', () => {
  it('erases documents shared under consent: approved before any payload is touched, completed after', () => {
    given([])
      .when(receive('erasure', { candidates: [candidate('d1')] }))
      .then([received('erasure'), { type: 'ErasureApproved', data: { documentIds: ['d1'] } }]);
    given([received('erasure'), { type: 'ErasureApproved', data: { documentIds: ['d1'] } }])
      .when(complete(['ignored']))
      .then([{ type: 'ErasureCompleted', data: { documentIds: ['d1'], completedAt: AT } }]);
  });

  it.each([
    ['legal obligation', 'uk-gdpr-art6-1-c', 'art17-3-b'],
    ['public task', 'uk-gdpr-art6-1-e', 'art17-3-b'],
    ['safeguarding of children and individuals at risk', 'dpa2018-sch1-pt2-para18', 'art17-3-b'],
    ['public health', 'uk-gdpr-art9-2-i', 'art17-3-c'],
    ['legal claims', 'uk-gdpr-art9-2-f', 'art17-3-e'],
    ['law-enforcement processing', 'dpa2018-part3', 'dpa2018-s47'],
  ])('an agreement resting on %s overrides erasure', (_basis, lawfulBasis, exemption) => {
    const plan = planErasure('council', [
      candidate('d1', { lawfulBases: ['uk-gdpr-art6-1-a', lawfulBasis] }),
    ]);
    expect(plan).toEqual({
      erase: [],
      kept: [{ documentId: 'd1', agreementId: 'isa-consent', exemption, lawfulBasis }],
    });
  });

  it('vital interests, consent and legitimate interests engage no exemption', () => {
    const bases = ['uk-gdpr-art6-1-d', 'uk-gdpr-art6-1-a', 'uk-gdpr-art6-1-f', 'uk-gdpr-art9-2-c'];
    expect(planErasure('council', [candidate('d1', { lawfulBases: bases })]).erase).toEqual(['d1']);
  });

  it('a document on legal hold is kept for legal claims', () => {
    expect(planErasure('council', [candidate('d1', { legalHold: true })]).kept).toEqual([
      { documentId: 'd1', agreementId: 'isa-consent', exemption: 'art17-3-e', legalHold: true },
    ]);
  });

  it('decides per document: one exemption keeps its document only', () => {
    const events = subjectRequestDecider.decide(
      receive('erasure', {
        candidates: [
          candidate('d1'),
          candidate('d2', { agreementId: 'isa-duty', lawfulBases: ['uk-gdpr-art6-1-c'] }),
        ],
      }),
      { status: 'none' },
    );
    expect(events.map((e) => e.type)).toEqual([
      'SubjectRequestReceived',
      'ErasureApproved',
      'ErasureRefused',
    ]);
    expect(events[1]!.data).toEqual({ documentIds: ['d1'] });
    expect(events[2]!.data).toEqual({
      reason: expect.stringContaining('UK GDPR Art 17(3)(b)'),
      overriddenBy: [
        {
          documentId: 'd2',
          agreementId: 'isa-duty',
          exemption: 'art17-3-b',
          lawfulBasis: 'uk-gdpr-art6-1-c',
        },
      ],
    });
  });

  it('touches only what the organisation shared, and nothing already erased', () => {
    const plan = planErasure('council', [
      candidate('received', { senderOrg: 'police' }),
      candidate('gone', { erased: true }),
    ]);
    expect(plan).toEqual({ erase: [], kept: [] });
  });

  it('a wholly refused erasure is complete at once; completing it again appends nothing', () => {
    const events = subjectRequestDecider.decide(
      receive('erasure', { candidates: [candidate('d2', { lawfulBases: ['uk-gdpr-art6-1-e'] })] }),
      { status: 'none' },
    );
    expect(events.map((e) => e.type)).toEqual(['SubjectRequestReceived', 'ErasureRefused']);
    given(events).when(complete()).then([]);
  });

  it('with no document to erase the request completes at once', () => {
    given([])
      .when(receive('erasure', { candidates: [] }))
      .then([received('erasure'), { type: 'ErasureCompleted', data: { documentIds: [], completedAt: AT } }]);
  });
});

describe('rectification: UK GDPR Art 16', () => {
  const doc = (documentId: string, over: Partial<RectificationDocument> = {}): RectificationDocument => ({
    documentId,
    senderOrg: 'council',
    subjectRefs: [REF],
    erased: false,
    supersededBy: null,
    ...over,
  });
  const rectify = (document?: RectificationDocument, corrected?: RectificationDocument) =>
    receive('rectification', {
      rectify: {
        documentId: 'old',
        correctedDocumentId: 'new',
        ...(document ? { document } : {}),
        ...(corrected ? { corrected } : {}),
      },
    });

  it('names the superseded and the corrected document, then records the rectification', () => {
    const got: SubjectRequestEvent = {
      type: 'SubjectRequestReceived',
      data: {
        kind: 'rectification',
        subjectRef: REF,
        orgId: 'council',
        reason: 'request by letter',
        receivedAt: AT,
        documentId: 'old',
        correctedDocumentId: 'new',
      },
    };
    given([])
      .when(rectify(doc('old'), doc('new')))
      .then([got]);
    given([got])
      .when(complete())
      .then([
        { type: 'RectificationRecorded', data: { supersededId: 'old', correctedId: 'new', recordedAt: AT } },
      ]);
  });

  it.each<[string, SubjectRequestCommand, SubjectRequestErrorCode]>([
    [
      'both documents',
      receive('rectification', { rectify: { documentId: 'old' } }),
      'subject-request.documents-required',
    ],
    [
      'two different documents',
      receive('rectification', { rectify: { documentId: 'old', correctedDocumentId: 'old' } }),
      'subject-request.same-document',
    ],
    ['documents that exist', rectify(doc('old')), 'subject-request.document-not-found'],
    [
      'the sender to rectify',
      rectify(doc('old', { senderOrg: 'police' }), doc('new')),
      'subject-request.not-sender',
    ],
    [
      'both about the subject',
      rectify(doc('old'), doc('new', { subjectRefs: ['b'.repeat(64)] })),
      'subject-request.not-about-subject',
    ],
    ['neither erased', rectify(doc('old', { erased: true }), doc('new')), 'subject-request.document-erased'],
    [
      'an old document not yet superseded',
      rectify(doc('old', { supersededBy: 'other' }), doc('new')),
      'subject-request.already-superseded',
    ],
  ])('requires %s', (_rule, command, code) => given([]).when(command).thenFails(code));
});

describe('subject requests at an organisation that only received the document (docs/architecture.md §28)', () => {
  it('erasure names the controllers to redirect the person to, and erases only what it sent', () => {
    given([])
      .when(
        receive('erasure', {
          candidates: [
            candidate('d1'),
            candidate('d2', { senderOrg: 'police' }),
            candidate('d3', { senderOrg: 'trust' }),
            candidate('d4', { senderOrg: 'police' }),
            candidate('d5', { senderOrg: 'fire', erased: true }),
          ],
        }),
      )
      .then([
        {
          type: 'SubjectRequestReceived',
          data: { ...received('erasure').data, redirectTo: ['police', 'trust'] },
        } as SubjectRequestEvent,
        { type: 'ErasureApproved', data: { documentIds: ['d1'] } },
      ]);
  });
});
