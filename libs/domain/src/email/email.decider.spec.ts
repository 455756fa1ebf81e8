import { decideEmail, EmailState, evolveEmail, initialEmailState } from './email.decider';
import { EmailEvent } from './email.events';
import { addresseesOfShare } from '../document/addressing.policy';

const settings = { maxAttempts: 3, retryBaseMs: 1000 };
const at = (iso: string) => ({ now: new Date(iso) });
const fold = (events: EmailEvent[]): EmailState => events.reduce(evolveEmail, initialEmailState());
const attempt = (iso: string, state: EmailState) =>
  decideEmail(
    {
      type: 'AttemptEmail',
      data: {
        notificationId: 'n1',
        kind: 'document-received',
        recipientUserId: 'u1',
        refs: { documentId: 'd1' },
        ...settings,
      },
      metadata: at(iso),
    },
    state,
  );

describe('the email stream', () => {
  it('claims, then records the message id it was sent with', () => {
    const claim = attempt('2026-01-01T00:00:00Z', initialEmailState());
    expect(claim).toEqual([
      expect.objectContaining({ type: 'EmailAttempted', data: expect.objectContaining({ attempt: 1 }) }),
    ]);
    const sent = decideEmail(
      {
        type: 'RecordEmailOutcome',
        data: { attempt: 1, messageId: '<n1@x>', ...settings },
        metadata: at('2026-01-01T00:00:01Z'),
      },
      fold(claim),
    );
    expect(sent).toEqual([
      expect.objectContaining({
        type: 'EmailSent',
        data: expect.objectContaining({
          notificationId: 'n1',
          kind: 'document-received',
          recipientUserId: 'u1',
          messageId: '<n1@x>',
        }),
      }),
    ]);
    expect(() => attempt('2026-01-02T00:00:00Z', fold([...claim, ...sent]))).toThrow('email.finished');
  });

  it('refuses a second claim while one is in flight, and retries with backoff after a failure', () => {
    const claim = attempt('2026-01-01T00:00:00Z', initialEmailState());
    expect(() => attempt('2026-01-01T00:00:30Z', fold(claim))).toThrow('email.in-progress');
    const failed = decideEmail(
      {
        type: 'RecordEmailOutcome',
        data: { attempt: 1, code: 451, ...settings },
        metadata: at('2026-01-01T00:00:01Z'),
      },
      fold(claim),
    );
    expect(failed[0]).toEqual({
      type: 'EmailFailed',
      data: {
        attempt: 1,
        code: 451,
        failedAt: '2026-01-01T00:00:01.000Z',
        nextAttemptAt: '2026-01-01T00:00:02.000Z',
      },
    });
    expect(() => attempt('2026-01-01T00:00:01.500Z', fold([...claim, ...failed]))).toThrow('email.not-due');
    expect(attempt('2026-01-01T00:00:02Z', fold([...claim, ...failed]))[0]).toEqual(
      expect.objectContaining({ type: 'EmailAttempted', data: expect.objectContaining({ attempt: 2 }) }),
    );
  });

  it('abandons after the last permitted attempt fails', () => {
    let events: EmailEvent[] = [];
    for (let i = 1; i <= 3; i++) {
      const claim = attempt(`2026-01-0${i}T00:00:00Z`, fold(events));
      events = [...events, ...claim];
      events = [
        ...events,
        ...decideEmail(
          {
            type: 'RecordEmailOutcome',
            data: { attempt: i, error: 'connection-refused', ...settings },
            metadata: at(`2026-01-0${i}T00:00:01Z`),
          },
          fold(events),
        ),
      ];
    }
    expect(events.at(-1)).toEqual(
      expect.objectContaining({
        type: 'EmailAbandoned',
        data: expect.objectContaining({ reason: 'attempts-exhausted', attempts: 3 }),
      }),
    );
    expect(fold(events).status).toBe('abandoned');
  });
});

describe('who a share is addressed to', () => {
  it('is the receiving users of the recipient organisations, not suspended ones, admins or auditors', () => {
    const users = [
      { userId: 'p1', orgId: 'police', role: 'practitioner', suspended: false },
      { userId: 'l1', orgId: 'police', role: 'ig-lead', suspended: false },
      { userId: 'a1', orgId: 'police', role: 'auditor', suspended: false },
      { userId: 's1', orgId: 'police', role: 'practitioner', suspended: true },
      { userId: 'o1', orgId: 'council', role: 'practitioner', suspended: false },
    ];
    expect(addresseesOfShare({ recipients: ['police'] }, users)).toEqual(['l1', 'p1']);
  });
});
