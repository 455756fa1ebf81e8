import { agreementStreamId } from '@accord/domain';
import { NewEvent, uuidv7 } from '@accord/event-store';
import { ApiClient } from '../../authz/world';
import {
  codeOf,
  documentEvents,
  DocumentsPartnership,
  objectFileNames,
  POLICE,
  SENDER,
  share,
  START,
} from './documents-partnership';

export interface ExpectedRefusal {
  status: number;
  code: string;
  record?: 'AccessDenied' | 'TransferBlocked';
  destination?: string;
}

/**
 * Shares, and checks the refusal end to end: its status and problem type, the one event it recorded on the
 * would-be document's stream, and that no object was left behind.
 */
export async function refused(
  p: DocumentsPartnership,
  client: ApiClient,
  metadata: unknown,
  expected: ExpectedRefusal,
  options: { payload?: Uint8Array | string; headers?: Record<string, string> } = {},
) {
  const objectsBefore = objectFileNames(p.world.api.config.dataDir);
  const reply = await share(client, metadata, options.payload ?? 'a document', {
    headers: options.headers ?? {},
  });
  expect({ status: reply.status, code: codeOf(reply) }).toEqual({
    status: expected.status,
    code: expected.code,
  });
  expect(reply.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const events = await documentEvents(p, reply.body.documentId);
  const record = expected.record ?? 'AccessDenied';
  expect(events.map((e) => e.type)).toEqual([record]);
  expect(events[0]!.data).toMatchObject({
    reason: expected.code,
    ...(expected.destination ? { destination: expected.destination } : {}),
  });
  expect(objectFileNames(p.world.api.config.dataDir)).toEqual(objectsBefore);
  return { reply, event: events[0]! };
}

/** An agreement written straight to the log, as one made before a rule existed would be. */
export async function handAppendedAgreement(
  p: DocumentsPartnership,
  overrides: Record<string, unknown>,
): Promise<string> {
  const id = uuidv7();
  const parties = (overrides.parties as string[] | undefined) ?? [SENDER, POLICE];
  const ev = (type: string, data: NewEvent['data']): NewEvent => ({
    eventId: uuidv7(),
    type,
    data,
    meta: { occurredAt: START, actor: { system: 'test' }, correlationId: 'test' },
  });
  await p.store.append(
    agreementStreamId(id),
    [
      ev('AgreementDrafted', {
        title: 'Legacy agreement',
        purposes: ['legacy purpose'],
        tier: 1,
        category: 'Safer Community',
        leadOrg: SENDER,
        parties,
        lawfulBases: ['uk-gdpr-art6-1-e'],
        dataCategories: ['name'],
        retentionPeriod: 'P1Y',
        reviewIntervalMonths: 12,
        ...overrides,
      }),
      ...parties.map((orgId) =>
        ev('AgreementSigned', { orgId, signatory: 'S', position: 'P', version: 1, signedAt: START }),
      ),
      ev('AgreementActivated', { version: 1, activatedAt: START }),
    ],
    'no-stream',
  );
  return id;
}

/** A two-party (or more) agreement made and signed over the API, health data allowed. */
export async function twoPartyAgreement(p: DocumentsPartnership, parties: string[]): Promise<string> {
  const { body: drafted } = await p.lead[SENDER]!.ok('POST', '/agreements', 201, {
    body: {
      title: 'Two-party agreement',
      purposes: [p.fixture.agreement.purposes[0]],
      tier: 1,
      category: 'Safer Community',
      leadOrg: SENDER,
      parties,
      lawfulBases: p.fixture.agreement.lawfulBases,
      dataCategories: ['name', 'health'],
      retentionPeriod: 'P1Y',
    },
  });
  for (const org of parties) {
    await p.lead[org]!.ok('POST', `/agreements/${drafted.id}/signatures`, 201, {
      body: { signatory: 'Test Signatory', position: 'Caldicott Guardian' },
    });
  }
  return drafted.id;
}
