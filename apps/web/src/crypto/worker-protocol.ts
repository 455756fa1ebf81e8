/**
 * Messages between the pages and the crypto Web Worker. Keys and passphrases cross into the worker only for
 * the one operation; plaintext never leaves it except as the verified Blob an open produces.
 */

export interface ProtectedKey {
  /** The private key, armored, protected under the user's passphrase (Argon2 S2K with AEAD). */
  armoredPrivate: string;
  publicKey: string;
  /** Primary key fingerprint, lower-case hex. */
  fingerprint: string;
  userIds: string[];
}

export type WorkerRequest =
  | { op: 'generate'; name: string; email: string; passphrase: string }
  | { op: 'protect'; armored: string; currentPassphrase: string; newPassphrase: string }
  | { op: 'unlock-check'; armoredPrivate: string; passphrase: string }
  | {
      op: 'encrypt';
      file: Blob;
      recipientKeys: string[];
      signingKey: string;
      passphrase: string;
    }
  | {
      op: 'open';
      /** Same-origin URL of the document's content (`/documents/:id/content?purpose=…`). */
      url: string;
      privateKey: string;
      passphrase: string;
      senderKeys: string[];
    };

export type WorkerReply =
  | { kind: 'progress'; phase: 'encrypt' | 'download'; done: number; total: number | null }
  | { kind: 'key'; key: ProtectedKey }
  | { kind: 'unlocked' }
  | { kind: 'encrypted'; ciphertext: Blob; size: number }
  | { kind: 'opened'; plaintext: Blob; size: number; signerFingerprint: string | null }
  /** A refusal from the api while downloading: its status and problem+json body, as text. */
  | { kind: 'problem'; status: number; contentType: string | null; body: string }
  /** A crypto rule failed: the stable code (`message.bad-signature`, `key.bad-passphrase`, …). */
  | { kind: 'refused'; code: string }
  | { kind: 'failed'; message: string };
