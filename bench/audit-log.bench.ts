import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { agreementStreamId, documentStreamId, organisationStreamId, userStreamId } from '@accord/domain';
import { JsonObject, NewEvent, SqliteEventStore, uuidv7 } from '@accord/event-store';
import { FilesystemObjectStore } from '@accord/object-store';
import { Figure, Phase, RunContext, figure, now, secondsSince } from './harness';

/**
 * The log the audit workloads read: a partnership as the product writes it, through the adapter. Eleven
 * organisations with keys, 110 users, five agreements signed by everyone, then documents: each shared to
 * one or two partners and then opened ~44 times, refused 3 times (outsiders), blocked once (a client in
 * France), and 9 in 10 of them later expired and destroyed, as retention does over the years. A document's
 * events are spread through the global log (streams take turns), as in production. Every event is well
 * formed for every read model, so a replay exercises all of them.
 */

const ORGS = Array.from({ length: 11 }, (_, i) => `org-${i}`);
const USERS_PER_ORG = 10;
const AGREEMENTS = 5;
export const EVENTS_PER_DOCUMENT = 50;
/** Documents appended concurrently per round (the adapter commits them as a group). */
const WINDOW = 400;
const CHUNK = 5;
const LIVE_EVERY = 10;

function hex(seed: string, length = 64): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, length);
}

export function benchUuid(seed: string): string {
  const h = hex(seed, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-7${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export const documentIdOf = (n: number): string => benchUuid(`document ${n}`);
const agreementIdOf = (n: number): string => benchUuid(`agreement ${n}`);
const userOf = (org: number, k: number) => ({
  userId: benchUuid(`user ${org} ${k}`),
  orgId: ORGS[org]!,
  role: 'practitioner',
});

/** Which organisations send and receive document n, deterministically. */
export function documentParties(n: number): { sender: number; recipients: number[] } {
  const sender = n % ORGS.length;
  const first = (sender + 1 + (n % 3)) % ORGS.length;
  const recipients = n % 4 === 0 ? [first, (first + 1) % ORGS.length] : [first];
  return { sender, recipients: recipients.filter((r) => r !== sender) };
}

let clock = Date.parse('2024-01-01T00:00:00.000Z');

function ev(type: string, data: JsonObject, actor?: object, country?: string): NewEvent {
  clock += 7;
  return {
    eventId: uuidv7(clock),
    type,
    data,
    meta: {
      occurredAt: new Date(clock).toISOString(),
      actor: (actor ?? { system: 'retention' }) as NewEvent['meta']['actor'],
      correlationId: uuidv7(clock),
      ...(country ? { client: { ip: country === 'GB' ? '10.1.2.3' : '203.0.113.9', country } } : {}),
    },
  };
}

function setupStreams(): [string, NewEvent[]][] {
  const out: [string, NewEvent[]][] = [];
  ORGS.forEach((org, i) =>
    out.push([
      organisationStreamId(org),
      [
        ev('OrganisationRegistered', {
          name: `Org ${i}`,
          kind: 'local-authority',
          jurisdiction: 'GB-ENG',
          icoRegistration: `Z${1000000 + i}`,
        }),
        ev('OrganisationKeyAdded', {
          fingerprint: hex(`key ${i}`, 40),
          publicKey: 'bench',
          algorithm: 'ed25519',
        }),
      ],
    ]),
  );
  ORGS.forEach((_, o) => {
    for (let k = 0; k < USERS_PER_ORG; k++) {
      const u = userOf(o, k);
      out.push([
        userStreamId(u.userId),
        [
          ev('UserEnrolled', {
            orgId: u.orgId,
            name: `User ${o}.${k}`,
            email: `u${o}.${k}@bench.example`,
            role: 'practitioner',
          }),
          ev('ApiTokenIssued', { tokenId: hex(`t ${o} ${k}`, 16), tokenHash: hex(`h ${o} ${k}`) }),
          ev('AccessAgreementAccepted', { version: 1 }, u),
        ],
      ]);
    }
  });
  for (let a = 0; a < AGREEMENTS; a++) {
    const lead = { userId: benchUuid(`lead ${a}`), orgId: ORGS[a]!, role: 'ig-lead' };
    const terms = {
      title: `Agreement ${a}`,
      purposes: ['safeguarding'],
      tier: 1,
      category: 'Safeguarding',
      leadOrg: ORGS[a]!,
      parties: ORGS,
      lawfulBases: ['uk-gdpr-art6-1-e', 'uk-gdpr-art9-2-h', 'dpa2018-sch1-pt1-para2'],
      dataCategories: ['name', 'health'],
      retentionPeriod: 'P6Y',
      reviewIntervalMonths: 12,
    };
    const at = () => new Date(clock).toISOString();
    const events = [ev('AgreementDrafted', terms, lead)];
    for (const org of ORGS) {
      events.push(
        ev(
          'AgreementSigned',
          {
            orgId: org,
            signatory: `Signatory ${org}`,
            position: 'Caldicott Guardian',
            version: 1,
            signedAt: at(),
          },
          lead,
        ),
      );
    }
    events.push(
      ev(
        'AgreementActivated',
        { version: 1, activatedAt: at(), firstReviewDue: '2025-01-01T00:00:00.000Z' },
        lead,
      ),
    );
    out.push([agreementStreamId(agreementIdOf(a)), events]);
  }
  return out;
}

/** Document n's events, in order; `sha256` is its live object's digest (or a made-up one if destroyed). */
function documentEvents(n: number, sha256: string): NewEvent[] {
  const { sender, recipients } = documentParties(n);
  const author = userOf(sender, n % USERS_PER_ORG);
  const objectKey = `documents/${documentIdOf(n)}.u1`;
  const events = [
    ev(
      'DocumentShared',
      {
        agreementId: agreementIdOf(n % AGREEMENTS),
        agreementVersion: 1,
        senderOrg: ORGS[sender]!,
        recipients: recipients.map((r) => ORGS[r]!),
        purpose: 'safeguarding',
        dataCategories: ['name', 'health'],
        subjectRefs: [hex(`subject ${n % 5000}`)],
        nature: 'fact',
        title: `Case summary ${n}`,
        objectKey,
        size: 256,
        sha256,
        recipientFingerprints: recipients.map((r) => hex(`key ${r}`, 40)),
        storageRegion: 'uk',
        sharedAt: new Date(clock).toISOString(),
        retainUntil: '2030-01-01T00:00:00.000Z',
        mode: 'server-encrypted',
      },
      author,
      'GB',
    ),
  ];
  const live = n % LIVE_EVERY === 0;
  const tail = live ? 0 : 2;
  for (let i = 1; events.length < EVENTS_PER_DOCUMENT - tail; i++) {
    if (i % 15 === 0) {
      const outsider = userOf((sender + 5) % ORGS.length, i % USERS_PER_ORG);
      events.push(
        ev('AccessDenied', { reason: 'open.not-a-recipient', orgId: outsider.orgId }, outsider, 'GB'),
      );
    } else if (i === 22) {
      const u = userOf(recipients[0]!, i % USERS_PER_ORG);
      events.push(
        ev(
          'TransferBlocked',
          { reason: 'transfer.client-outside-uk', destination: 'FR', orgId: u.orgId },
          u,
          'FR',
        ),
      );
    } else {
      const u = userOf(recipients[i % recipients.length]!, i % USERS_PER_ORG);
      events.push(
        ev('DocumentAccessed', { client: { ip: '10.1.2.3', country: 'GB' }, orgId: u.orgId }, u, 'GB'),
      );
    }
  }
  if (!live) {
    events.push(ev('RetentionExpired', { retainUntil: '2030-01-01T00:00:00.000Z' }));
    events.push(ev('PayloadDestroyed', { objectKey }));
  }
  return events;
}

const fill: Phase = async (ctx) => {
  const {
    file,
    objectsDir,
    events: total,
  } = ctx.args as { file: string; objectsDir: string; events: number };
  const store = new SqliteEventStore({ file });
  const objects = new FilesystemObjectStore({ dir: objectsDir, region: 'uk' });
  const start = now();
  for (const [streamId, events] of setupStreams()) await store.append(streamId, events, 'no-stream');
  const documents = Math.max(1, Math.floor((total - (await store.headPosition())) / EVENTS_PER_DOCUMENT));
  let live = 0;
  for (let first = 0; first < documents; first += WINDOW) {
    const ids = Array.from({ length: Math.min(WINDOW, documents - first) }, (_, k) => first + k);
    const scripts = await Promise.all(
      ids.map(async (n) => {
        if (n % LIVE_EVERY !== 0) return documentEvents(n, hex(`destroyed ${n}`));
        live += 1;
        const body = Readable.from([Buffer.from(hex(`payload ${n}`).repeat(4))]);
        const put = await objects.put(`documents/${documentIdOf(n)}.u1`, body);
        return documentEvents(n, put.sha256);
      }),
    );
    // Streams take turns, a few events each, so a document's events are spread through the log.
    for (let at = 0; at < EVENTS_PER_DOCUMENT; at += CHUNK) {
      await Promise.all(
        ids.flatMap((n, k) => {
          const chunk = scripts[k]!.slice(at, at + CHUNK);
          if (chunk.length === 0) return [];
          // Stamped in append order, as the platform's one clock stamps requests: occurredAt grows with position.
          for (const e of chunk) e.meta.occurredAt = new Date((clock += 7)).toISOString();
          return [store.append(documentStreamId(documentIdOf(n)), chunk, at === 0 ? 'no-stream' : at - 1)];
        }),
      );
    }
    ctx.progress(`${Math.min(first + WINDOW, documents)} / ${documents} documents`);
  }
  const seconds = secondsSince(start);
  const head = await store.headPosition();
  await store.close();
  await objects.close();
  return { ops: head, seconds, info: { documents, liveObjects: live } };
};

export const auditLogPhases = { fill };

export interface AuditLog {
  file: string;
  objectsDir: string;
  events: number;
  documents: number;
  liveObjects: number;
  fill: Figure;
}

const logs = new Map<string, Promise<AuditLog>>();

/** The audit log of about `events` events for this run, filled once and shared by the audit workloads. */
export function auditLog(ctx: RunContext, events: number): Promise<AuditLog> {
  const key = `${ctx.dir}:${events}`;
  let log = logs.get(key);
  if (!log) {
    log = (async () => {
      const file = join(ctx.dir, `audit-log-${events}.db`);
      const objectsDir = join(ctx.dir, `audit-objects-${events}`);
      ctx.progress(`filling an audit log of ${events} events through the adapter`);
      const r = await ctx.phase('audit-log', 'fill', { file, objectsDir, events });
      return {
        file,
        objectsDir,
        events: r.ops,
        documents: Number(r.info?.['documents'] ?? 0),
        liveObjects: Number(r.info?.['liveObjects'] ?? 0),
        fill: figure(
          `adapter: the audit log, ${r.ops.toLocaleString('en-GB')} events (generation included)`,
          [r],
        ),
      };
    })();
    logs.set(key, log);
  }
  return log;
}
