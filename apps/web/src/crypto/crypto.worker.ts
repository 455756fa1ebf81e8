/// <reference lib="webworker" />
import { enums, encryptKey, generateKey, type PrivateKey } from 'openpgp';
import { isCryptoError } from '../../../../libs/crypto/src/crypto.errors';
import { unlockPrivateKey } from '../../../../libs/crypto/src/key-generation';
import { decryptVerifiedWebStream, encryptWebStream } from '../../../../libs/crypto/src/message.web-stream';
import { STRICT_CONFIG } from '../../../../libs/crypto/src/openpgp.config';
import type { ProtectedKey, WorkerReply, WorkerRequest } from './worker-protocol';

/**
 * The browser's crypto, off the page's thread: key generation and protection, streaming encryption of a
 * chosen file, and a download decrypted and verified as it arrives. The rules are libs/crypto's
 * (message.web-stream.ts), the same code the CLI runs.
 */
declare const self: DedicatedWorkerGlobalScope;

const post = (reply: WorkerReply, transfer: Transferable[] = []) => self.postMessage(reply, transfer);

/**
 * Argon2id (RFC 9106 second recommended option, 64 MiB) with AEAD, RFC 9580 §3.7.2.1: a stolen IndexedDB
 * cannot be brute-forced as cheaply as under the iterated-and-salted S2K gpg 2.2 writes.
 */
const STORAGE_CONFIG = { ...STRICT_CONFIG, s2kType: enums.s2k.argon2 as const, aeadProtect: true };

/** Large chunks are folded into Blob parts this often, so the ciphertext or plaintext leaves the JS heap. */
const FOLD_BYTES = 4 * 1024 * 1024;
/** Progress is reported at most this often: a message per 64 KiB chunk would flood the page. */
const PROGRESS_EVERY_MS = 100;

class BlobSpool {
  private parts: Blob[] = [];
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  size = 0;

  add(chunk: Uint8Array): void {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    this.size += chunk.length;
    if (this.pendingBytes >= FOLD_BYTES) this.fold();
  }

  private fold(): void {
    if (this.pending.length === 0) return;
    this.parts.push(new Blob(this.pending as BlobPart[]));
    this.pending = [];
    this.pendingBytes = 0;
  }

  blob(type: string): Blob {
    this.fold();
    return new Blob(this.parts, { type });
  }
}

function progressCounter(
  phase: 'encrypt' | 'download',
  total: number | null,
): TransformStream<Uint8Array, Uint8Array> {
  let done = 0;
  let last = 0;
  return new TransformStream({
    transform(chunk, controller) {
      done += chunk.length;
      const now = Date.now();
      if (now - last >= PROGRESS_EVERY_MS) {
        last = now;
        post({ kind: 'progress', phase, done, total });
      }
      controller.enqueue(chunk);
    },
    flush() {
      post({ kind: 'progress', phase, done, total: total ?? done });
    },
  });
}

async function protect(key: PrivateKey, passphrase: string): Promise<ProtectedKey> {
  const protectedKey = await encryptKey({ privateKey: key, passphrase, config: STORAGE_CONFIG });
  return {
    armoredPrivate: protectedKey.armor(STRICT_CONFIG),
    publicKey: key.toPublic().armor(STRICT_CONFIG),
    fingerprint: key.getFingerprint().toLowerCase(),
    userIds: key.getUserIDs(),
  };
}

async function handle(req: WorkerRequest): Promise<void> {
  switch (req.op) {
    case 'generate': {
      // The organisation key of docs/architecture.md §19.1 (Ed25519 + Cv25519, v4, MDC), as the CLI makes it.
      const { privateKey } = await generateKey({
        type: 'ecc',
        curve: 'ed25519Legacy',
        userIDs: [{ name: req.name, email: req.email }],
        format: 'object',
        config: STRICT_CONFIG,
      });
      return post({ kind: 'key', key: await protect(privateKey, req.passphrase) });
    }
    case 'protect': {
      // gpg --export-secret-keys and `accord keys export` both give an armored private key, maybe protected.
      const key = await unlockPrivateKey(req.armored, req.currentPassphrase || undefined);
      return post({ kind: 'key', key: await protect(key, req.newPassphrase) });
    }
    case 'unlock-check': {
      await unlockPrivateKey(req.armoredPrivate, req.passphrase);
      return post({ kind: 'unlocked' });
    }
    case 'encrypt': {
      const signingKey = await unlockPrivateKey(req.signingKey, req.passphrase);
      const plaintext = req.file.stream().pipeThrough(progressCounter('encrypt', req.file.size));
      const ciphertext = await encryptWebStream(plaintext, { encryptionKeys: req.recipientKeys, signingKey });
      const spool = new BlobSpool();
      const reader = ciphertext.getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        spool.add(value);
      }
      return post({
        kind: 'encrypted',
        ciphertext: spool.blob('application/octet-stream'),
        size: spool.size,
      });
    }
    case 'open': {
      // Unlocked before the download, so a wrong passphrase fails before a byte is fetched.
      const privateKey = await unlockPrivateKey(req.privateKey, req.passphrase);
      const res = await fetch(req.url, {
        credentials: 'same-origin',
        headers: { Accept: 'application/pgp-encrypted, application/problem+json' },
      });
      if (!res.ok || !res.body) {
        return post({
          kind: 'problem',
          status: res.status,
          contentType: res.headers.get('content-type'),
          body: await res.text(),
        });
      }
      const length = Number(res.headers.get('content-length'));
      const counted = res.body.pipeThrough(
        progressCounter('download', Number.isFinite(length) && length > 0 ? length : null),
      );
      const [armored, stream] = await startsArmored(counted);
      const spool = new BlobSpool();
      const verdict = await decryptVerifiedWebStream(
        stream,
        armored,
        { privateKey, senderKeys: req.senderKeys },
        (chunk) => spool.add(chunk),
      );
      // Only now, after the MDC and the signature both checked, does any plaintext leave the worker.
      return post({
        kind: 'opened',
        plaintext: spool.blob('application/octet-stream'),
        size: verdict.size,
        signerFingerprint: verdict.signerFingerprint,
      });
    }
  }
}

/** Armored messages start with "-----BEGIN"; binary ones with a packet tag byte (bit 7 set). */
async function startsArmored(
  stream: ReadableStream<Uint8Array>,
): Promise<[boolean, ReadableStream<Uint8Array>]> {
  const [peek, rest] = stream.tee();
  const reader = peek.getReader();
  const first = await reader.read();
  // Only the peek branch is let go; a failing source rejects this too, and `rest` reports that failure.
  reader.cancel().catch(() => undefined);
  const armored = !first.done && first.value.length > 0 && first.value[0] === 0x2d;
  return [armored, rest];
}

self.onmessage = (event: MessageEvent<WorkerRequest>) => {
  handle(event.data).catch((error: unknown) => {
    if (isCryptoError(error)) post({ kind: 'refused', code: error.code });
    else post({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
  });
};
