import type { WorkerReply, WorkerRequest } from './worker-protocol';

export type Progress = Extract<WorkerReply, { kind: 'progress' }>;
export type Outcome = Exclude<WorkerReply, { kind: 'progress' }>;

export interface Running {
  result: Promise<Outcome>;
  /** Stops the work at once: the worker is terminated, and with it every key and byte it held. */
  cancel(): void;
}

/**
 * Runs one operation in a fresh worker, which ends with it: nothing (an unlocked key, a passphrase,
 * plaintext) outlives the operation in the worker's memory.
 */
export function runInWorker(request: WorkerRequest, onProgress?: (p: Progress) => void): Running {
  const worker = new Worker(new URL('./crypto.worker.ts', import.meta.url), { type: 'module' });
  let settle: (o: Outcome) => void = () => undefined;
  const result = new Promise<Outcome>((resolve) => (settle = resolve));
  worker.onmessage = (event: MessageEvent<WorkerReply>) => {
    const reply = event.data;
    if (reply.kind === 'progress') return onProgress?.(reply);
    worker.terminate();
    settle(reply);
  };
  worker.onerror = (event) => {
    worker.terminate();
    settle({ kind: 'failed', message: event.message || 'The browser could not run the encryption' });
  };
  worker.postMessage(request);
  return {
    result,
    cancel() {
      worker.terminate();
      settle({ kind: 'failed', message: 'cancelled' });
    },
  };
}

/** Plain-English words for the crypto library's refusals (libs/crypto/src/crypto.errors.ts codes). */
export const REFUSALS: Record<string, string> = {
  'message.bad-signature':
    'The document was refused: its signature is not a valid one by a key of the sending organisation. Nothing was saved.',
  'message.unsigned': 'The document was refused: it is not signed by its sender. Nothing was saved.',
  'message.integrity-check-failed':
    'The document was refused: it could not be decrypted or was changed after it was sent. Nothing was saved.',
  'message.not-for-this-key':
    'The document is not encrypted to the key kept in this browser. Nothing was saved.',
  'message.too-large': 'The document is larger than this browser will open. Nothing was saved.',
  'key.bad-passphrase': 'The passphrase is not right',
  'key.locked': 'Enter the passphrase',
  'key.not-private':
    'The file is not an OpenPGP private key. Export it with gpg --export-secret-keys --armor',
  'key.revoked': 'A recipient key is revoked',
  'key.expired': 'A recipient key has expired',
  'key.too-weak': 'A recipient key is too weak',
  'key.invalid': 'A key is not valid at this time',
  'key.no-encryption-subkey': 'A recipient key cannot encrypt',
  'key.unparseable': 'A recipient key could not be read',
};

export const refusalText = (code: string): string => REFUSALS[code] ?? `Refused (${code})`;
