import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import {
  EmailCommand,
  emailDecider,
  EmailKind,
  EmailRefs,
  emailStreamId,
  isEmailError,
} from '@accord/domain';
import { EVENT_STORE, type EventStore } from '@accord/event-store';
import { SCHEDULER, type Scheduler } from '@accord/jobs';
import {
  ACCORD_CONFIG,
  AppLogger,
  Clock,
  type LoadedConfig,
  READ_DB,
  runCommand,
  systemMeta,
} from '@accord/platform';
import {
  agreementTitleForEmail,
  DirectoryReadModel,
  dueEmails,
  dueReminderEmails,
  type ReadDb,
} from '@accord/projections';
import { emailContent } from './email-messages';
import { EmailResult, EmailSender } from './email-sender';

export const EMAIL_JOB = 'email.dispatch';

/** Emails attempted at once per pass: one slow SMTP exchange does not hold up the rest. */
const BATCH = 8;

/**
 * A notice never attempted by this long after its cause is not sent: turning SMTP on over an existing log
 * does not mail its history, and a node that was down for days does not send stale news. Retries of an
 * email already attempted are not affected.
 */
export const EMAIL_STALE_AFTER_MS = 3 * 24 * 3_600_000;

/**
 * Sends the email outbox (the `inbox` read model's `email_outbox`) at least once (docs/architecture.md §27),
 * as the webhook dispatcher delivers its outbox: for each due email it claims the attempt on `email-{id}` at
 * the revision it read (the event before the side effect, §18.3), sends, and records the outcome. Two
 * dispatchers racing for one email: the loser's claim fails and it sends nothing. A process that dies
 * between the send and the outcome leaves the claim to lapse; the next attempt goes out with the same
 * Message-ID, which receiving servers de-duplicate. It runs as a scheduler job (one pass at a time per
 * cluster on BullMQ), never on a request's path, so a slow or failing SMTP server never holds up a request.
 */
@Injectable()
export class EmailDispatcher implements OnModuleInit {
  private running: Promise<number> | undefined;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_DB) private readonly db: ReadDb,
    @Inject(SCHEDULER) private readonly scheduler: Scheduler,
    @Inject(ACCORD_CONFIG) private readonly config: LoadedConfig,
    private readonly sender: EmailSender,
    private readonly clock: Clock,
    private readonly logger: AppLogger,
  ) {}

  async onModuleInit(): Promise<void> {
    // Off when SMTP_URL is unset: no job, no events, nothing sent.
    if (!this.config.mail) return;
    this.scheduler.register(EMAIL_JOB, async () => void (await this.dispatch()), { attempts: 1 });
    await this.scheduler.repeat(EMAIL_JOB, this.config.mail.pollIntervalMs);
  }

  /** One pass; returns how many emails it looked at. Concurrent calls share it. Tests call it rather than wait. */
  dispatch(): Promise<number> {
    this.running ??= this.pass().finally(() => (this.running = undefined));
    return this.running;
  }

  private async pass(): Promise<number> {
    if (!this.config.mail) return 0;
    const now = this.clock.now();
    const notBefore = new Date(now.getTime() - EMAIL_STALE_AFTER_MS);
    const reminders = dueReminderEmails(this.db, notBefore, now);
    const due = dueEmails(this.db, now.toISOString(), notBefore.toISOString(), BATCH);
    const work = [...reminders, ...due].slice(0, BATCH * 4);
    for (let i = 0; i < work.length; i += BATCH)
      await Promise.all(work.slice(i, i + BATCH).map((e) => this.deliver(e.id, e.kind, e.userId, e.refs)));
    return work.length;
  }

  private async deliver(id: string, kind: EmailKind, userId: string, refs: EmailRefs): Promise<void> {
    const mail = this.config.mail!;
    const settings = { maxAttempts: mail.maxAttempts, retryBaseMs: mail.retryBaseMs };
    const user = new DirectoryReadModel(this.db).user(userId);
    if (!user || user.status !== 'active') {
      await this.run(id, { type: 'AbandonEmail', data: { reason: 'recipient-gone' }, metadata: this.now() });
      return;
    }
    const claim = await this.run(id, {
      type: 'AttemptEmail',
      data: { notificationId: id, kind, recipientUserId: userId, refs, ...settings },
      metadata: this.now(),
    });
    const attempted = claim?.find((e) => e.type === 'EmailAttempted');
    if (attempted?.type !== 'EmailAttempted') return;
    const attempt = attempted.data.attempt;
    const content = emailContent(
      kind,
      refs,
      agreementTitleForEmail(this.db, refs.agreementId),
      mail.publicUrl,
    );
    const result = await this.sender.send({
      to: user.email,
      ...content,
      messageId: `<${id}@${domainOf(mail.from)}>`,
    });
    await this.run(id, {
      type: 'RecordEmailOutcome',
      data: { attempt, ...outcomeOf(result), ...settings },
      metadata: this.now(),
    });
    // Ids and codes only: never the address (docs/architecture.md §19.3).
    this.logger.info('email attempt', { notificationId: id, kind, attempt, ...outcomeOf(result) });
  }

  /** Appends what the decider decides; a refusal (finished, not due, in flight, stale) means another got there first. */
  private async run(id: string, command: EmailCommand) {
    try {
      const outcome = await runCommand(this.store, emailStreamId(id), emailDecider, command, {
        meta: systemMeta('email', this.clock.now()),
      });
      return outcome.events;
    } catch (error) {
      if (isEmailError(error)) return undefined;
      throw error;
    }
  }

  private now(): { now: Date } {
    return { now: this.clock.now() };
  }
}

function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1) || 'accord.invalid';
}

function outcomeOf(result: EmailResult): { messageId: string } | { code: number } | { error: string } {
  return result;
}
