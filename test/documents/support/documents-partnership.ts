import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { documentStreamId } from '@accord/domain';
import { generateOrganisationKey, GeneratedOrganisationKey } from '@accord/crypto';
import { EVENT_STORE, EventStore, RecordedEvent } from '@accord/event-store';
import { ApiClient, Reply } from '../../authz/world';
import {
  buildPartnership,
  Partnership,
  seedAgreementBody,
  signAll,
} from '../../agreements/support/partnership';

/** The partnership's clock starts here; keys are made before it, so they are valid at every test instant. */
export const START = '2025-03-03T09:00:00.000Z';
export const KEY_TIME = new Date('2025-01-01T00:00:00.000Z');

export const SENDER = 'staffordshire-cc';
export const POLICE = 'staffordshire-police';
export const HOSPITAL = 'uhnm';
/** Organisations given keys; the other parties have none. */
export const KEYED = [SENDER, POLICE, HOSPITAL] as const;

export interface DocumentsPartnership extends Partnership {
  /** The seed agreement, signed by all eleven parties. */
  agreementId: string;
  keys: Record<string, GeneratedOrganisationKey>;
  store: EventStore;
  /** A practitioner of `org` (made on first use). */
  practitionerOf(org: string): Promise<ApiClient>;
}

export async function organisationKey(name: string): Promise<GeneratedOrganisationKey> {
  return generateOrganisationKey({ name, email: `keys@${name}.test.example`, now: KEY_TIME });
}

/** The Staffordshire partnership with keys for three organisations and the seed agreement in force. */
export async function buildDocumentsPartnership(env?: Record<string, string>): Promise<DocumentsPartnership> {
  const p = await buildPartnership(START, env);
  const keys: Record<string, GeneratedOrganisationKey> = {};
  for (const org of KEYED) {
    keys[org] = await organisationKey(org);
    await p.lead[org]!.ok('POST', `/organisations/${org}/keys`, 201, {
      body: { publicKey: keys[org].publicKey },
    });
  }
  const drafted = await p.lead[SENDER]!.ok('POST', '/agreements', 201, {
    body: seedAgreementBody(p.fixture),
  });
  await signAll(p, drafted.body.id);
  const practitioners = new Map<string, Promise<ApiClient>>();
  return {
    ...p,
    agreementId: drafted.body.id,
    keys,
    store: p.world.api.app.get<EventStore>(EVENT_STORE),
    practitionerOf(org: string) {
      if (org === SENDER) return Promise.resolve(p.practitioner);
      let client = practitioners.get(org);
      if (!client) {
        client = p.world.enrol(org, 'practitioner').then((u) => p.world.client(u.token));
        practitioners.set(org, client);
      }
      return client;
    },
  };
}

/** The metadata of a share from the county council to the police under the seed agreement. */
export function shareMetadata(p: DocumentsPartnership, overrides: Record<string, unknown> = {}) {
  return {
    agreementId: p.agreementId,
    recipients: [POLICE],
    purpose: p.fixture.agreement.purposes[0],
    dataCategories: ['name', 'health'],
    subjects: [{ scheme: 'nhs-number', value: '943 476 5919' }],
    nature: 'fact',
    title: 'Strategy meeting minutes',
    ...overrides,
  };
}

export interface ShareOptions {
  headers?: Record<string, string>;
  /** `payload-first` sends the parts in the wrong order. */
  order?: 'metadata-first' | 'payload-first';
  /** Leave a part out. */
  omit?: 'metadata' | 'payload';
  /** Send the metadata as a file part holding the JSON (as `curl -F metadata=@file` does). */
  metadataAsFile?: boolean;
}

/** POST /documents as multipart/form-data: `metadata` (JSON text) then `payload` (a file part). */
export async function share(
  client: ApiClient,
  metadata: unknown,
  payload: Uint8Array | string,
  options: ShareOptions = {},
): Promise<Reply> {
  const form = new FormData();
  const text = typeof metadata === 'string' ? metadata : JSON.stringify(metadata);
  const addMetadata = () => {
    if (options.omit === 'metadata') return;
    if (options.metadataAsFile)
      form.append('metadata', new Blob([text], { type: 'application/json' }), 'share.json');
    else form.append('metadata', text);
  };
  const addPayload = () => {
    if (options.omit !== 'payload') form.append('payload', new Blob([payload]), 'document.bin');
  };
  if (options.order === 'payload-first') {
    addPayload();
    addMetadata();
  } else {
    addMetadata();
    addPayload();
  }
  const headers: Record<string, string> = { ...options.headers };
  if (client.token) headers['authorization'] = `Bearer ${client.token}`;
  const res = await fetch(`${client.url}/documents`, { method: 'POST', headers, body: form });
  const body = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    body: /json/.test(res.headers.get('content-type') ?? '') && body ? JSON.parse(body) : body,
  };
}

/** GET /documents/:id/content, keeping the bytes. */
export async function openContent(
  client: ApiClient,
  documentId: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; bytes: Buffer; problem?: { type: string } }> {
  const res = await fetch(`${client.url}/documents/${documentId}/content`, {
    headers: { ...headers, ...(client.token ? { authorization: `Bearer ${client.token}` } : {}) },
  });
  const bytes = Buffer.from(await res.arrayBuffer());
  const problem = /json/.test(res.headers.get('content-type') ?? '')
    ? JSON.parse(bytes.toString('utf8'))
    : undefined;
  return { status: res.status, headers: res.headers, bytes, problem };
}

export const documentEvents = (p: { store: EventStore }, documentId: string): Promise<RecordedEvent[]> =>
  p.store.readStream(documentStreamId(documentId));

export async function lastEvent(
  p: { store: EventStore },
  documentId: string,
): Promise<RecordedEvent | undefined> {
  const events = await documentEvents(p, documentId);
  return events[events.length - 1];
}

/** The problem type's code, e.g. `share.purpose-not-permitted`. */
export const codeOf = (reply: { body?: { type?: unknown } }): string | undefined =>
  typeof reply.body?.type === 'string' ? reply.body.type.split('/').pop() : undefined;

/** The bytes of a stored object as the filesystem store keeps them on disk (header included), by key. */
export function objectFileBytes(dataDir: string, objectKey: string): Buffer {
  const name = objectKey.split('/').pop()!;
  const found = findFile(join(dataDir, 'objects'), name);
  if (!found) throw new Error(`no object file for ${objectKey}`);
  return readFileSync(found);
}

/** Every object file under the store's root, temp files excluded. */
export function objectFileNames(dataDir: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.name.startsWith('.')) continue;
      if (e.isDirectory()) walk(join(dir, e.name));
      else out.push(e.name);
    }
  };
  walk(join(dataDir, 'objects'));
  return out.sort();
}

function findFile(dir: string, name: string): string | undefined {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) {
      const found = findFile(path, name);
      if (found) return found;
    } else if (e.name === name) return path;
  }
  return undefined;
}
