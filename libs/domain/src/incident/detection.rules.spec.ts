import { AccessObservation, evaluateAccess, initialUserActivity, UserActivity } from './detection.rules';
import { DetectionThresholds } from './detection.thresholds';

const T: DetectionThresholds = {
  denials: 3,
  denialWindowMinutes: 10,
  volumeFactor: 3,
  volumeMinimum: 4,
  volumeHistoryDays: 5,
};

let seq = 0;
const obs = (at: string, over: Partial<AccessObservation> = {}): AccessObservation => ({
  eventId: `e${++seq}`,
  occurredAt: at,
  userId: 'u1',
  orgId: 'police',
  documentId: 'd1',
  outcome: 'opened',
  country: 'GB',
  standing: 'party',
  ...over,
});
const denied = (at: string, reason = 'open.not-a-recipient') => obs(at, { outcome: 'denied', reason });

/** Feeds the observations in order; returns each one's incidents' rules and the final activity. */
function run(list: AccessObservation[], t = T, start: UserActivity = initialUserActivity()) {
  let activity = start;
  const fired: { at: string; rule: string; evidence: string[]; key: string }[] = [];
  for (const o of list) {
    const out = evaluateAccess(activity, o, t);
    activity = out.activity;
    for (const i of out.incidents)
      fired.push({ at: o.occurredAt, rule: i.rule, evidence: i.evidence, key: i.key });
  }
  return { fired, activity };
}
const minute = (m: number) => new Date(Date.parse('2026-03-02T09:00:00.000Z') + m * 60_000).toISOString();

describe('denials-burst: N refused opens by one user within M minutes', () => {
  it('fires at the Nth refusal inside the window, with every refusal as evidence', () => {
    const list = [denied(minute(0)), denied(minute(4)), denied(minute(9))];
    const { fired } = run(list);
    expect(fired).toEqual([
      { at: minute(9), rule: 'denials-burst', evidence: list.map((o) => o.eventId), key: list[0]!.eventId },
    ]);
  });

  it('does not fire below the threshold', () => {
    expect(run([denied(minute(0)), denied(minute(5))]).fired).toEqual([]);
  });

  it('slides: refusals older than the window no longer count', () => {
    expect(run([denied(minute(0)), denied(minute(6)), denied(minute(11))]).fired).toEqual([]);
    const fired = run([denied(minute(0)), denied(minute(6)), denied(minute(11)), denied(minute(12))]).fired;
    expect(fired.map((f) => f.at)).toEqual([minute(12)]);
  });

  it('fires once per burst, not on every further refusal, then again after a quiet spell', () => {
    const burst = [0, 1, 2, 3, 4, 12, 20].map((m) => denied(minute(m)));
    expect(run(burst).fired.map((f) => f.at)).toEqual([minute(2)]);
    const again = [0, 1, 2, 3, 40, 41, 42].map((m) => denied(minute(m)));
    expect(run(again).fired.map((f) => f.at)).toEqual([minute(2), minute(42)]);
  });

  it('counts refused opens only, not successful ones or refused shares', () => {
    const list = [denied(minute(0)), obs(minute(1)), denied(minute(2), 'share.purpose-not-permitted')];
    expect(run(list).fired).toEqual([]);
  });
});

describe('non-uk-access: any attempt from outside the UK', () => {
  it('fires for a refused open from another country, and for an unknown one', () => {
    const fr = obs(minute(0), { outcome: 'blocked', reason: 'transfer.client-outside-uk', country: 'FR' });
    const unknown = obs(minute(1), {
      outcome: 'blocked',
      reason: 'transfer.client-outside-uk',
      country: 'unknown',
    });
    expect(run([fr, unknown], { ...T, denials: 99 }).fired).toEqual([
      { at: minute(0), rule: 'non-uk-access', evidence: [fr.eventId], key: fr.eventId },
      { at: minute(1), rule: 'non-uk-access', evidence: [unknown.eventId], key: unknown.eventId },
    ]);
  });

  it('does not fire from the UK', () => {
    expect(run([obs(minute(0)), denied(minute(1))]).fired).toEqual([]);
  });
});

describe('open-destroyed-or-restricted', () => {
  it.each(['open.payload-destroyed', 'open.document-erased', 'open.processing-restricted'])(
    'fires for %s',
    (reason) => {
      const o = denied(minute(0), reason);
      expect(run([o]).fired).toEqual([
        { at: minute(0), rule: 'open-destroyed-or-restricted', evidence: [o.eventId], key: o.eventId },
      ]);
    },
  );

  it('does not fire for other refusals', () => {
    expect(run([denied(minute(0), 'open.agreement-suspended')]).fired).toEqual([]);
  });
});

describe('ex-party-download: an organisation no longer party to the agreement', () => {
  it('fires for a download and for a refused attempt by a former party', () => {
    const opened = obs(minute(0), { standing: 'former-party' });
    const refused = obs(minute(1), {
      standing: 'former-party',
      outcome: 'denied',
      reason: 'open.agreement-terminated',
    });
    expect(run([opened, refused]).fired.map((f) => [f.rule, f.evidence])).toEqual([
      ['ex-party-download', [opened.eventId]],
      ['ex-party-download', [refused.eventId]],
    ]);
  });

  it('does not fire for a current party or an organisation that never was one', () => {
    const list = [
      obs(minute(0)),
      obs(minute(1), { standing: 'not-party', outcome: 'denied', reason: 'open.not-a-recipient' }),
    ];
    expect(run(list).fired).toEqual([]);
  });

  it('ignores share refusals of a former party (not an attempt to open)', () => {
    const o = obs(minute(0), {
      standing: 'former-party',
      outcome: 'denied',
      reason: 'share.sender-not-party',
    });
    expect(run([o]).fired).toEqual([]);
  });
});

describe("unusual-volume: a day far above the user's history", () => {
  const at = (day: number, i: number) =>
    `2026-03-${String(day).padStart(2, '0')}T10:${String(i).padStart(2, '0')}:00.000Z`;
  const opens = (day: number, n: number) => Array.from({ length: n }, (_, i) => obs(at(day, i)));

  it('with no history, fires when the day reaches the minimum, once', () => {
    const day = opens(2, 6);
    const { fired } = run(day);
    expect(fired).toEqual([
      {
        at: at(2, 3),
        rule: 'unusual-volume',
        evidence: day.slice(0, 4).map((o) => o.eventId),
        key: 'u1:2026-03-02',
      },
    ]);
  });

  it('does not fire below the minimum', () => {
    expect(run(opens(2, 3)).fired).toEqual([]);
  });

  it('compares with the trailing average: 3 x 2 a day over previous days sets the bar at 6', () => {
    // Days 1-2 with 2 opens each: average 2 over 2 days, threshold max(4, 6) = 6.
    const history = [...opens(1, 2), ...opens(2, 2)];
    expect(run([...history, ...opens(3, 5)]).fired).toEqual([]);
    const fired = run([...history, ...opens(3, 6)]).fired;
    expect(fired.map((f) => [f.rule, f.at])).toEqual([['unusual-volume', at(3, 5)]]);
  });

  it('forgets days older than the history window', () => {
    // 10 opens on day 1 would set the bar at 3 x 10 / 5 = 6; by day 9 they are out of the 5-day window.
    const { fired } = run([...opens(1, 10), ...opens(9, 4)]);
    expect(fired.map((f) => f.at)).toEqual([at(1, 3), at(9, 3)]);
  });
});
