import { createHash } from 'node:crypto';
import { documentStreamId } from '@accord/domain';
import { JsonObject, NewEvent, uuidv7 } from '@accord/event-store';

/**
 * Realistic envelopes: a DocumentShared-like `data` of about 300 bytes of JSON and a user actor with a
 * correlation id, as the API appends them. Payloads come from a small pool (building 1M distinct objects
 * would measure the generator, not the store); every event still gets its own eventId and correlationId.
 */

export const EVENT_TYPES = [
  'DocumentShared',
  'DocumentAccessed',
  'AccessDenied',
  'RetentionExpired',
  'AgreementSigned',
  'OrganisationKeyAdded',
  'UserEnrolled',
  'BreachReported',
] as const;

const POOL = 512;
const TARGET_DATA_BYTES = 300;

function hex(seed: string, length: number): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, length);
}

function fakeUuid(seed: string): string {
  const h = hex(seed, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-7${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function makeData(i: number): JsonObject {
  const data: JsonObject = {
    agreementId: fakeUuid(`agreement${i % 37}`),
    agreementVersion: 1 + (i % 4),
    senderOrg: fakeUuid(`org${i % 11}`),
    recipients: [fakeUuid(`org${(i + 1) % 11}`)],
    purpose: 'safeguarding',
    dataCategories: ['health', 'social-care'],
    subjectRefs: [hex(`subject${i}`, 64)],
    nature: 'fact',
    title: '',
  };
  // Pad the title so the serialised payload lands on the target size whatever the ids happen to be.
  const missing = TARGET_DATA_BYTES - JSON.stringify(data).length;
  data.title = `Case summary ${i} `.padEnd(Math.max(missing, 8), 'x');
  return data;
}

const dataPool: JsonObject[] = Array.from({ length: POOL }, (_, i) => makeData(i));
const actorPool = Array.from({ length: 64 }, (_, i) => ({
  userId: fakeUuid(`user${i}`),
  orgId: fakeUuid(`org${i % 11}`),
  role: i % 5 === 0 ? 'caldicott-guardian' : 'practitioner',
}));

/** Event number `i` of a run; `at` is its occurredAt in ms since the epoch. */
export function makeEvent(i: number, at: number = Date.now()): NewEvent {
  return {
    eventId: uuidv7(at),
    type: EVENT_TYPES[i % EVENT_TYPES.length]!,
    data: dataPool[i % POOL]!,
    meta: {
      occurredAt: new Date(at).toISOString(),
      actor: actorPool[i % actorPool.length]!,
      correlationId: uuidv7(at),
    },
  };
}

export function makeEvents(first: number, count: number): NewEvent[] {
  const at = Date.now();
  return Array.from({ length: count }, (_, k) => makeEvent(first + k, at));
}

export function streamName(prefix: string, n: number): string {
  return documentStreamId(`${prefix}${n}`);
}

export const DATA_BYTES = JSON.stringify(dataPool[0]).length;
