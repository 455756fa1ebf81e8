import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { emailStreamId } from '@accord/domain';
import { EVENT_STORE, type EventStore } from '@accord/event-store';
import { READ_DB } from '@accord/platform';
import { DirectoryReadModel, type ReadDb } from '@accord/projections';
import { EmailDispatcher } from '../../apps/api/src/inbox/email-dispatcher';
import { builtEntry, ROOT } from '../api/support/built-apps';
import { World, WorldOrg } from '../authz/world';
import { buildPair, DocumentsPair, pairMetadata } from '../documents/support/documents-pair';
import { openContent, share } from '../documents/support/documents-partnership';
import { RestartableApi } from '../webhooks/support/restartable-api';
import { SmtpSink } from './support/smtp-sink';

/**
 * Issue 13 item 4: GET /inbox, `accord inbox`, and email through a real SMTP server on 127.0.0.1 (the
 * `smtp-server` package), reading what it received. Nothing is timed: each check polls under one deadline.
 */
const TITLE = 'Case note about Jane Doe at 12 Acacia Avenue';
const NHS = '943 476 5919';

async function eventually<T>(what: string, probe: () => T | undefined | Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('inbox and email', () => {
  let sink: SmtpSink;
  let api: RestartableApi;
  let world: World;
  let pair: DocumentsPair;
  let db: ReadDb;
  let store: EventStore;
  const emailOf = (userId: string) => new DirectoryReadModel(db).user(userId)!.email;
  const practitioner = (org: WorldOrg) => world.client(org.users.practitioner.token);
  const outboxSettled = () =>
    (
      db
        .prepare(`SELECT COUNT(*) AS n FROM email_outbox WHERE status NOT IN ('sent', 'abandoned')`)
        .get() as {
        n: number;
      }
    ).n === 0;
  const shareOne = async (overrides: Record<string, unknown> = {}) => {
    const reply = await share(
      practitioner(pair.sender),
      pairMetadata(pair, {
        title: TITLE,
        nature: 'opinion',
        subjects: [{ scheme: 'nhs-number', value: NHS }],
        ...overrides,
      }),
      'the case note',
    );
    expect(reply.status).toBe(201);
    return reply.body.documentId as string;
  };
  const inboxOf = async (org: WorldOrg, query = '') =>
    (await practitioner(org).ok('GET', `/inbox${query}`, 200)).body;

  beforeAll(async () => {
    sink = await SmtpSink.start();
    // The first message the server sees is refused with 451: it must come again, later.
    sink.refuseNext = 1;
    api = new RestartableApi({
      SMTP_URL: `smtp://127.0.0.1:${sink.port}`,
      MAIL_FROM: 'accord@mail.example.test',
      ACCORD_PUBLIC_URL: 'https://accord.example.test',
      ACCORD_EMAIL_POLL_INTERVAL_MS: '50',
      ACCORD_EMAIL_RETRY_BASE_MS: '50',
    });
    world = await World.build(await api.start());
    db = world.api.app.get<ReadDb>(READ_DB);
    store = world.api.app.get<EventStore>(EVENT_STORE);
    pair = await buildPair(world, world.org('own'), world.org('other'));
    await eventually('the agreement emails', () =>
      outboxSettled() && sink.received.length >= 4 ? true : undefined,
    );
  });
  afterAll(async () => {
    await api?.dispose();
    await sink?.close();
  });

  it("asks each party's IG leads to sign and tells them of the activation, by email, naming only the agreement", () => {
    for (const org of [pair.sender, pair.recipient]) {
      const mine = sink.received.filter((m) => m.to.includes(emailOf(org.users['ig-lead'].userId)));
      expect(mine.map((m) => m.subject).sort()).toEqual([
        'Accord: an agreement awaits your organisation\'s signature under "Documents test agreement"',
        'Accord: an agreement is in force under "Documents test agreement"',
      ]);
      expect(mine[0]!.raw).toContain(`https://accord.example.test/agreements/${pair.agreementId}`);
    }
    // Practitioners are not asked to sign.
    expect(sink.received.some((m) => m.to.includes(emailOf(pair.sender.users.practitioner.userId)))).toBe(
      false,
    );
  });

  it('retries an email the server refused with 451, under the same Message-ID, and records each step as an event', async () => {
    expect(sink.refusals).toBe(1);
    const row = db.prepare(`SELECT id FROM email_outbox WHERE attempts = 2 AND status = 'sent'`).get() as {
      id: string;
    };
    const events = await store.readStream(emailStreamId(row.id));
    expect(events.map((e) => e.type)).toEqual([
      'EmailAttempted',
      'EmailFailed',
      'EmailAttempted',
      'EmailSent',
    ]);
    expect(events[1]!.data).toMatchObject({ attempt: 1, code: 451 });
    const messageId = `<${row.id}@mail.example.test>`;
    expect(events[3]!.data).toMatchObject({ notificationId: row.id, messageId, attempt: 2 });
    expect(sink.received.filter((m) => m.messageId === messageId)).toHaveLength(1);
    // The address is looked up when sending, never written to the log.
    expect(JSON.stringify(events)).not.toMatch(/@[a-z0-9-]+\.test\.example/);
  });

  it('answers the share before the email is sent, then emails each addressee a link with no title and no NHS number', async () => {
    sink.hold();
    const documentId = await shareOne();
    // The SMTP server is holding every message: the share could not have waited for one.
    expect(sink.received.filter((m) => m.raw.includes(documentId))).toEqual([]);
    sink.open();
    const addressees = [pair.recipient.users.practitioner, pair.recipient.users['ig-lead']];
    const mails = await eventually('the document emails', () => {
      const found = sink.received.filter((m) => m.raw.includes(documentId));
      return found.length >= addressees.length ? found : undefined;
    });
    expect(mails.flatMap((m) => m.to).sort()).toEqual(addressees.map((u) => emailOf(u.userId)).sort());
    for (const m of mails) {
      expect(m.subject).toBe('Accord: a document was shared with you under "Documents test agreement"');
      expect(m.raw).toContain(`https://accord.example.test/documents/${documentId}`);
      for (const secret of [TITLE, 'Jane Doe', 'Acacia', NHS, NHS.replace(/ /g, '')])
        expect(m.raw).not.toContain(secret);
    }
  });

  it('lists the share in the inbox of the recipients (unread, with its nature), not of the sender; an open marks it read', async () => {
    const documentId = await shareOne({ nature: 'fact' });
    const inbox = await eventually('the inbox entry', async () => {
      const body = await inboxOf(pair.recipient);
      return body.items.some((i: { documentId: string }) => i.documentId === documentId) ? body : undefined;
    });
    expect(inbox.items[0]).toMatchObject({
      kind: 'document-shared',
      documentId,
      nature: 'fact',
      read: false,
      title: TITLE,
    });
    expect(JSON.stringify(inbox)).not.toMatch(/subjectRef|9434765919/);
    expect((await inboxOf(pair.sender)).items).toEqual([]);
    const opened = await openContent(practitioner(pair.recipient), documentId, { 'x-client-country': 'GB' });
    expect(opened.status).toBe(200);
    const after = await eventually('the read mark', async () => {
      const body = await inboxOf(pair.recipient);
      const entry = body.items.find((i: { documentId: string }) => i.documentId === documentId);
      return entry?.read ? body : undefined;
    });
    expect(after.items.at(-1)).toMatchObject({ documentId, read: true });
    // The IG lead of the same organisation has not opened it.
    const lead = (await world.client(pair.recipient.users['ig-lead'].token).ok('GET', '/inbox', 200)).body;
    expect(lead.items.find((i: { documentId: string }) => i.documentId === documentId)).toMatchObject({
      read: false,
    });
  });

  it('pages with limit/after/nextAfter, unread first then newest first, and refuses a made-up cursor', async () => {
    const seen: { documentId: string; read: boolean }[] = [];
    let after: string | null = null;
    do {
      const page: { items: { documentId: string; read: boolean }[]; nextAfter: string | null } =
        await inboxOf(pair.recipient, `?limit=1${after ? `&after=${after}` : ''}`);
      expect(page.items.length).toBeLessThanOrEqual(1);
      seen.push(...page.items);
      after = page.nextAfter;
    } while (after);
    const whole = (await inboxOf(pair.recipient)).items;
    expect(seen).toEqual(whole);
    expect(seen.map((i) => i.read)).toEqual(
      [...seen.map((i) => i.read)].sort((a, b) => Number(a) - Number(b)),
    );
    const bad = await practitioner(pair.recipient).request('GET', '/inbox?after=yesterday');
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
  });

  it("emails a breach notice to the notified partner's IG leads and the ICO 24-hour warning to the reporter's", async () => {
    const discoveredAt = new Date(Date.now() - 49 * 3_600_000).toISOString();
    const breachId = (
      await world.client(pair.sender.users['ig-lead'].token).ok('POST', '/breaches', 201, {
        body: {
          discoveredAt,
          description: 'Letter about Jane Doe posted to the wrong address',
          nearMiss: false,
          severity: 'high',
          agreementId: pair.agreementId,
          dataCategories: ['name'],
          approxSubjects: 1,
        },
      })
    ).body.id as string;
    const to = (org: WorldOrg, subject: string) =>
      sink.received.find(
        (m) =>
          m.raw.includes(breachId) &&
          m.to.includes(emailOf(org.users['ig-lead'].userId)) &&
          m.subject === subject,
      );
    const notice = await eventually('the breach notice', () =>
      to(
        pair.recipient,
        'Accord: a data breach was reported to your organisation under "Documents test agreement"',
      ),
    );
    const warning = await eventually('the ICO warning', () =>
      to(pair.sender, 'Accord: 24 hours left to notify the ICO'),
    );
    for (const m of [notice, warning]) expect(m.raw).not.toContain('Jane Doe');
    expect(warning.raw).toContain(new Date(Date.parse(discoveredAt) + 72 * 3_600_000).toISOString());
  });

  it('dispatch() finds nothing more to send once the outbox is done', async () => {
    await eventually('the outbox to settle', () => (outboxSettled() ? true : undefined));
    const before = sink.received.length;
    await world.api.app.get(EmailDispatcher).dispatch();
    expect(sink.received.length).toBe(before);
  });

  it('`accord inbox` prints the same inbox, with --json', async () => {
    builtEntry('cli');
    // Asynchronously: the api answering the CLI runs in this very process.
    const run = async (...args: string[]) =>
      promisify(execFile)(process.execPath, [join(ROOT, 'bin', 'accord'), 'inbox', ...args], {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH ?? '',
          ACCORD_URL: world.url,
          ACCORD_TOKEN: pair.recipient.users.practitioner.token,
        },
        encoding: 'utf8',
      });
    const parsed = JSON.parse((await run('--json')).stdout) as {
      items: { nature: string; title: string }[];
      unread: number;
    };
    expect(parsed.items.length).toBeGreaterThanOrEqual(2);
    const text = await run();
    expect(text.stdout).toMatch(/unread/);
    expect(text.stdout).toContain(' opinion from ');
  });
});
