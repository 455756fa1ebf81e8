import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { documentStreamId } from '@accord/domain';
import { encryptStream, generateOrganisationKey, unlockPrivateKey, type PrivateKey } from '@accord/crypto';
import { EVENT_STORE, EventStore, uuidv7 } from '@accord/event-store';
import { OBJECT_STORE, ObjectStore } from '@accord/object-store';
import { readAll } from '../../../libs/crypto/src/testing/test-keys';
import { metadataFor, PASSPHRASE, SharingWorld, uploadDocument } from './sharing-world';

/**
 * Documents the CLI must refuse, made as an attacker or a failure would make them: pre-encrypted uploads
 * signed by the wrong key or not at all, a payload altered in storage, a payload destroyed by retention.
 */

/** A message to `other`'s active key, uploaded by `own`'s practitioner; signed by `signer` if given. */
export async function preEncryptedToOther(
  w: SharingWorld,
  plaintext: Buffer,
  signer?: { stranger: true } | { ownFingerprint: string },
): Promise<string> {
  const keys = await w.client('own', 'practitioner').get(`/organisations/${w.orgs.other.id}/keys`);
  let signingKey: PrivateKey | undefined;
  if (signer && 'stranger' in signer) {
    const stranger = await generateOrganisationKey({ name: 'Stranger', email: 'x@stranger.example' });
    signingKey = await unlockPrivateKey(stranger.privateKey);
  } else if (signer) {
    const entry = JSON.parse(readFileSync(join(w.keyrings.own, `${signer.ownFingerprint}.json`), 'utf8'));
    signingKey = await unlockPrivateKey(entry.privateKey, PASSPHRASE);
  }
  const message = await readAll(
    await encryptStream(plaintext, {
      encryptionKeys: [keys.body.items[0].publicKey as string],
      ...(signingKey ? { signingKey } : {}),
    }),
  );
  const reply = await uploadDocument(
    w.client('own', 'practitioner'),
    metadataFor(w, [w.orgs.other.id]),
    message,
  );
  if (reply.status !== 201) throw new Error(`upload refused: ${JSON.stringify(reply.body)}`);
  return reply.body.documentId as string;
}

async function storedObject(w: SharingWorld, id: string): Promise<{ key: string; revision: number }> {
  const events = await w.world.api.app.get<EventStore>(EVENT_STORE).readStream(documentStreamId(id));
  const shared = events.find((e) => e.type === 'DocumentShared')!;
  return { key: String(shared.data['objectKey']), revision: events[events.length - 1]!.revision };
}

/** Flips one bit inside the encrypted data of the stored object (same length, so only crypto can tell). */
export async function alterStoredPayload(w: SharingWorld, id: string): Promise<void> {
  const { key } = await storedObject(w, id);
  const objects = w.world.api.app.get<ObjectStore>(OBJECT_STORE);
  const bytes = await readAll(await objects.get(key));
  bytes[bytes.length - 100] ^= 0x01;
  await objects.put(key, Readable.from([bytes]));
}

/**
 * What the retention job does (docs/architecture.md §11): PayloadDestroyed appended first, then the object
 * deleted.
 */
export async function destroyPayload(w: SharingWorld, id: string): Promise<void> {
  const { key, revision } = await storedObject(w, id);
  await w.world.api.app.get<EventStore>(EVENT_STORE).append(
    documentStreamId(id),
    [
      {
        eventId: uuidv7(),
        type: 'PayloadDestroyed',
        data: { objectKey: key },
        meta: { occurredAt: new Date().toISOString(), actor: { system: 'retention' }, correlationId: 'test' },
      },
    ],
    revision,
  );
  await w.world.api.app.get<ObjectStore>(OBJECT_STORE).delete(key);
}
