import { deciderSpec } from '../testing/decider-spec';
import { sessionDecider, SessionState } from './session.decider';
import { SessionEvent } from './session.events';

const spec = deciderSpec(sessionDecider);
const MIN = 60_000;
const lifetime = { idleMs: 30 * MIN, absoluteMs: 8 * 60 * MIN };
const at = (iso: string) => ({ now: new Date(iso) });

const started: SessionEvent = {
  type: 'SessionStarted',
  data: {
    userId: 'u1',
    organisationId: 'org-1',
    tokenHash: 'h',
    startedAt: '2026-01-01T09:00:00.000Z',
    idleExpiresAt: '2026-01-01T09:30:00.000Z',
    absoluteExpiresAt: '2026-01-01T17:00:00.000Z',
  },
};
const renewedAt = (iso: string, idle: string): SessionEvent => ({
  type: 'SessionRenewed',
  data: { renewedAt: iso, idleExpiresAt: idle },
});

describe('the session stream', () => {
  it('starts with its idle and absolute expiry', () => {
    spec
      .given([])
      .when({
        type: 'StartSession',
        data: { userId: 'u1', organisationId: 'org-1', tokenHash: 'h', ...lifetime },
        metadata: at('2026-01-01T09:00:00Z'),
      })
      .then([started]);
  });

  it('records activity at most once per renewal interval (five minutes), so nodes agree on idle expiry', () => {
    const renew = (iso: string) => ({ type: 'RenewSession' as const, data: lifetime, metadata: at(iso) });
    spec.given([started]).when(renew('2026-01-01T09:04:59Z')).then([]);
    spec
      .given([started])
      .when(renew('2026-01-01T09:05:00Z'))
      .then([renewedAt('2026-01-01T09:05:00.000Z', '2026-01-01T09:35:00.000Z')]);
  });

  it('ends an idle session, and one past its absolute limit even when active, when it is next used', () => {
    const renew = (iso: string) => ({ type: 'RenewSession' as const, data: lifetime, metadata: at(iso) });
    spec
      .given([started])
      .when(renew('2026-01-01T09:30:00Z'))
      .then([{ type: 'SessionEnded', data: { reason: 'idle', endedAt: '2026-01-01T09:30:00.000Z' } }]);
    const busy = [started, renewedAt('2026-01-01T16:55:00.000Z', '2026-01-01T17:00:00.000Z')];
    spec
      .given(busy)
      .when(renew('2026-01-01T17:00:00Z'))
      .then([{ type: 'SessionEnded', data: { reason: 'absolute', endedAt: '2026-01-01T17:00:00.000Z' } }]);
  });

  it('never promises an idle expiry past the absolute one', () => {
    const late = spec
      .given([started, renewedAt('2026-01-01T16:40:00.000Z', '2026-01-01T17:00:00.000Z')])
      .when({ type: 'RenewSession', data: lifetime, metadata: at('2026-01-01T16:50:00Z') })
      .thenState() as Extract<SessionState, { status: 'live' }>;
    expect(late.idleExpiresAt).toBe('2026-01-01T17:00:00.000Z');
  });

  it('ends once: a second end (two nodes noticing one suspension) adds nothing, and an ended session is not renewed', () => {
    const ended: SessionEvent = {
      type: 'SessionEnded',
      data: { reason: 'user-suspended', endedAt: '2026-01-01T09:10:00.000Z' },
    };
    spec
      .given([started, ended])
      .when({ type: 'EndSession', data: { reason: 'signed-out' }, metadata: at('2026-01-01T09:11:00Z') })
      .then([]);
    expect(() =>
      sessionDecider.decide(
        { type: 'RenewSession', data: lifetime, metadata: at('2026-01-01T09:11:00Z') },
        [started, ended].reduce(sessionDecider.evolve, sessionDecider.initialState()),
      ),
    ).toThrow('session.not-live');
    expect(() =>
      sessionDecider.decide(
        {
          type: 'StartSession',
          data: { userId: 'u2', organisationId: null, tokenHash: 'x', ...lifetime },
          metadata: at('2026-01-01T09:11:00Z'),
        },
        [started].reduce(sessionDecider.evolve, sessionDecider.initialState()),
      ),
    ).toThrow('session.already-started');
  });
});
