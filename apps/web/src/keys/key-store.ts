import type { ProtectedKey } from '../crypto/worker-protocol';

/**
 * The browser's keyring: private keys in IndexedDB, each protected under its holder's passphrase (Argon2
 * S2K, see crypto.worker.ts), so what is stored is useless without the passphrase, which is never stored.
 */
export interface StoredKey extends ProtectedKey {
  organisationId: string;
  /** The team it is for, if the holder said so; the api knows organisation keys only. */
  team: string | null;
  addedAt: string;
  source: 'generated' | 'imported';
}

const DB = 'accord';
const STORE = 'keys';

function openDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'fingerprint' });
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB is not available'));
  });
}

async function inStore<T>(mode: IDBTransactionMode, run: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await openDb();
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const req = run(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(req.result);
      tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
    });
  } finally {
    db.close();
  }
}

export async function listKeys(organisationId: string): Promise<StoredKey[]> {
  const all = await inStore<StoredKey[]>('readonly', (s) => s.getAll() as IDBRequest<StoredKey[]>);
  return all
    .filter((k) => k.organisationId === organisationId)
    .sort((a, b) => b.addedAt.localeCompare(a.addedAt));
}

export const saveKey = (key: StoredKey): Promise<IDBValidKey> => inStore('readwrite', (s) => s.put(key));

export const deleteKey = (fingerprint: string): Promise<undefined> =>
  inStore('readwrite', (s) => s.delete(fingerprint));
