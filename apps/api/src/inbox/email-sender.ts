import { BeforeApplicationShutdown, Inject, Injectable } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import { ACCORD_CONFIG, type LoadedConfig } from '@accord/platform';

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  /** `<id@domain>`: the same on every attempt, so a receiving server discards a repeat. */
  messageId: string;
}

/** Accepted with its Message-ID, or refused: an SMTP reply `code` (4xx, 5xx), or an `error` code when none came. */
export type EmailResult = { messageId: string } | { code: number } | { error: string };

/**
 * SMTP through nodemailer (docs/architecture.md §27). One pooled transport per process; a send never waits
 * longer than the timeouts below, so a hung server delays the outbox, never a request (nothing on a request's
 * path sends mail).
 */
@Injectable()
export class EmailSender implements BeforeApplicationShutdown {
  private transport: Transporter | undefined;

  constructor(@Inject(ACCORD_CONFIG) private readonly config: LoadedConfig) {}

  async send(email: OutgoingEmail): Promise<EmailResult> {
    const mail = this.config.mail;
    if (!mail) return { error: 'smtp-off' };
    this.transport ??= createTransport(smtpOptions(mail.smtpUrl));
    try {
      await this.transport.sendMail({
        from: mail.from,
        to: email.to,
        subject: email.subject,
        text: email.text,
        messageId: email.messageId,
      });
      return { messageId: email.messageId };
    } catch (error) {
      const e = error as { responseCode?: unknown; code?: unknown };
      if (typeof e.responseCode === 'number') return { code: e.responseCode };
      // Codes only (ECONNECTION, ETIMEDOUT, EAUTH...): a message could quote the server's words or the URL.
      return { error: typeof e.code === 'string' ? e.code.toLowerCase() : 'smtp-error' };
    }
  }

  beforeApplicationShutdown(): void {
    this.transport?.close();
  }
}

/** smtp://[user:pass@]host[:port] (STARTTLS when offered) or smtps:// (TLS from the start, port 465 by default). */
function smtpOptions(url: string): SMTPTransport.Options {
  const u = new URL(url);
  const secure = u.protocol === 'smtps:';
  return {
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port: u.port === '' ? (secure ? 465 : 587) : Number(u.port),
    secure,
    ...(u.username !== ''
      ? { auth: { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } }
      : {}),
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  };
}
