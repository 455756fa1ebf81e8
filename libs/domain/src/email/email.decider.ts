import { assertNever } from '../errors';
import { Decider } from '../shared/decider';
import { retryDelayMs } from '../webhook/webhook-retry.policy';
import { AttemptEmail, EmailCommand, RecordEmailOutcome } from './email.commands';
import { EmailEvent, EmailKind } from './email.events';
import { emailFail } from './email.errors';

/**
 * An attempt with no recorded outcome after this long died with its process: the next pass attempts again,
 * under the same Message-ID, so a receiving server that did take the first copy discards the second.
 */
export const EMAIL_ATTEMPT_LEASE_MS = 120_000;

export type EmailState =
  | { status: 'none' }
  | ({ status: 'attempting'; attempts: number; attemptedAt: string } & Addressed)
  | ({ status: 'failed'; attempts: number; nextAttemptAt: string } & Addressed)
  | { status: 'sent' | 'abandoned'; attempts: number };

interface Addressed {
  notificationId: string;
  kind: EmailKind;
  recipientUserId: string;
}

export const initialEmailState = (): EmailState => ({ status: 'none' });

export function evolveEmail(state: EmailState, event: EmailEvent): EmailState {
  switch (event.type) {
    case 'EmailAttempted':
      return {
        status: 'attempting',
        notificationId: event.data.notificationId,
        kind: event.data.kind,
        recipientUserId: event.data.recipientUserId,
        attempts: event.data.attempt,
        attemptedAt: event.data.attemptedAt,
      };
    case 'EmailSent':
      return { status: 'sent', attempts: event.data.attempt };
    case 'EmailFailed':
      if (event.data.nextAttemptAt === undefined || state.status !== 'attempting')
        return { status: 'abandoned', attempts: event.data.attempt };
      return {
        status: 'failed',
        notificationId: state.notificationId,
        kind: state.kind,
        recipientUserId: state.recipientUserId,
        attempts: event.data.attempt,
        nextAttemptAt: event.data.nextAttemptAt,
      };
    case 'EmailAbandoned':
      return { status: 'abandoned', attempts: event.data.attempts };
    default:
      return assertNever(event, 'email event');
  }
}

export function decideEmail(command: EmailCommand, state: EmailState): EmailEvent[] {
  switch (command.type) {
    case 'AttemptEmail':
      return attempt(command, state);
    case 'RecordEmailOutcome':
      return outcome(command, state);
    case 'AbandonEmail': {
      if (state.status === 'sent' || state.status === 'abandoned') throw emailFail('email.finished');
      const attempts = state.status === 'none' ? 0 : state.attempts;
      return [
        {
          type: 'EmailAbandoned',
          data: { attempts, reason: command.data.reason, abandonedAt: command.metadata.now.toISOString() },
        },
      ];
    }
    default:
      return assertNever(command, 'email command');
  }
}

function attempt({ data, metadata }: AttemptEmail, state: EmailState): EmailEvent[] {
  const now = metadata.now;
  if (state.status === 'sent' || state.status === 'abandoned') throw emailFail('email.finished');
  if (state.status === 'failed' && Date.parse(state.nextAttemptAt) > now.getTime())
    throw emailFail('email.not-due');
  if (state.status === 'attempting' && Date.parse(state.attemptedAt) + EMAIL_ATTEMPT_LEASE_MS > now.getTime())
    throw emailFail('email.in-progress');
  const attempts = state.status === 'none' ? 0 : state.attempts;
  if (attempts >= data.maxAttempts)
    return [
      {
        type: 'EmailAbandoned',
        data: { attempts, reason: 'attempts-exhausted', abandonedAt: now.toISOString() },
      },
    ];
  return [
    {
      type: 'EmailAttempted',
      data: {
        notificationId: data.notificationId,
        kind: data.kind,
        recipientUserId: data.recipientUserId,
        refs: data.refs,
        attempt: attempts + 1,
        attemptedAt: now.toISOString(),
      },
    },
  ];
}

function outcome({ data, metadata }: RecordEmailOutcome, state: EmailState): EmailEvent[] {
  // Only the attempt in flight may report: a dispatcher whose lease ran out changes nothing.
  if (state.status !== 'attempting' || state.attempts !== data.attempt) throw emailFail('email.stale');
  const at = metadata.now.toISOString();
  if (data.messageId !== undefined)
    return [
      {
        type: 'EmailSent',
        data: {
          notificationId: state.notificationId,
          kind: state.kind,
          recipientUserId: state.recipientUserId,
          messageId: data.messageId,
          attempt: data.attempt,
          sentAt: at,
        },
      },
    ];
  const cause = {
    ...(data.code !== undefined ? { code: data.code } : {}),
    ...(data.code === undefined ? { error: data.error ?? 'network-error' } : {}),
  };
  if (data.attempt >= data.maxAttempts)
    return [
      { type: 'EmailFailed', data: { attempt: data.attempt, ...cause, failedAt: at } },
      {
        type: 'EmailAbandoned',
        data: { attempts: data.attempt, reason: 'attempts-exhausted', abandonedAt: at },
      },
    ];
  // The webhooks' backoff steps (x1, x6, x30, x180, ...), on the email's own base.
  const nextAttemptAt = new Date(
    metadata.now.getTime() + retryDelayMs(data.attempt, data.retryBaseMs),
  ).toISOString();
  return [{ type: 'EmailFailed', data: { attempt: data.attempt, ...cause, failedAt: at, nextAttemptAt } }];
}

export const emailDecider: Decider<EmailState, EmailCommand, EmailEvent> = {
  decide: decideEmail,
  evolve: evolveEmail,
  initialState: initialEmailState,
};
