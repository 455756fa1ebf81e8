import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { MessageError } from './crypto.errors';
import type { ScannerSnapshot } from './encrypted-message.scanner';
import type { FromCheckThread, ToCheckThread } from './upload-check.protocol';

/**
 * The ciphertext check of a large upload on a thread beside the event loop (docs/architecture.md §37.5.1).
 * One thread for the process, started by the first large upload and kept for the next (a thread costs a few
 * milliseconds and megabytes to start: small uploads never start one, see verified-message.stream.ts).
 * Each upload copies its bytes once into its own ring of shared slots; the thread judges a slot and answers
 * how far the input is judged, and the slot is free again. A job never has more than SLOTS slots in flight:
 * the upload waits for the thread rather than holding more (memory stays bounded).
 */

/** Bytes per slot: one message each way per slot, so a 100 MiB upload is 200 round trips. */
export const SLOT_BYTES = 512 * 1024;
const SLOTS = 4;

/**
 * The check's thread failed (or was stopped by shutdown) while an upload was being judged: the upload fails
 * as unavailable (503) and stores nothing; the next large upload starts a new thread.
 */
export class UploadCheckUnavailableError extends Error {
  readonly code = 'service-unavailable';
  readonly status = 503;
  readonly title = 'Service unavailable';
  constructor(detail: string) {
    super(`the upload check's thread is unavailable: ${detail}`);
    this.name = 'UploadCheckUnavailableError';
  }
}

/** One upload's part of the thread: write() its bytes in order, then end(). */
export class UploadCheckJob {
  private readonly ring: Uint8Array;
  private filling = 0;
  private filled = 0;
  private inFlight = 0;
  private failure: Error | undefined;
  private wake: (() => void) | undefined;
  private finished: { resolve: () => void; reject: (e: Error) => void } | undefined;

  constructor(
    readonly id: number,
    private readonly thread: UploadCheckThread,
    snapshot: ScannerSnapshot,
    /** How far the input is judged (absolute offset, Infinity once the message is whole). */
    private readonly cleared: (upTo: number) => void,
    /** The job failed between calls (a refusal arriving while nothing waits on the job). */
    private readonly failed: (error: Error) => void,
  ) {
    const shared = new SharedArrayBuffer(SLOTS * SLOT_BYTES);
    this.ring = new Uint8Array(shared);
    thread.send({ type: 'start', job: id, ring: shared, slotBytes: SLOT_BYTES, scanner: snapshot });
  }

  /** Copies bytes into the ring, handing each full slot to the thread; waits while every slot is in flight. */
  async write(bytes: Uint8Array): Promise<void> {
    let at = 0;
    while (at < bytes.length) {
      if (this.failure) throw this.failure;
      const take = Math.min(SLOT_BYTES - this.filled, bytes.length - at);
      this.ring.set(bytes.subarray(at, at + take), this.filling * SLOT_BYTES + this.filled);
      this.filled += take;
      at += take;
      if (this.filled === SLOT_BYTES) await this.hand(false);
    }
  }

  /** The input ended: resolves once the thread has judged the whole message, rejects with its verdict. */
  async end(): Promise<void> {
    const done = new Promise<void>((resolve, reject) => (this.finished = { resolve, reject }));
    if (this.failure) throw this.failure;
    await this.hand(true);
    return done;
  }

  /** The upload stopped for another reason: the thread forgets the job. */
  stop(): void {
    if (this.thread.forget(this.id)) this.thread.send({ type: 'stop', job: this.id });
  }

  answer(message: FromCheckThread): void {
    this.inFlight -= 1;
    if ('cleared' in message) {
      this.cleared(message.cleared);
      if (message.cleared === Infinity) this.finished?.resolve();
    } else if ('refused' in message) {
      this.fail(new MessageError(message.refused.code, message.refused.detail));
    } else this.fail(new UploadCheckUnavailableError(message.failed));
    this.wake?.();
  }

  fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    this.thread.forget(this.id);
    if (this.finished) this.finished.reject(error);
    else this.failed(error);
    this.wake?.();
  }

  private async hand(last: boolean): Promise<void> {
    this.thread.send({ type: 'slot', job: this.id, slot: this.filling, length: this.filled, last });
    this.inFlight += 1;
    this.filling = (this.filling + 1) % SLOTS;
    this.filled = 0;
    // Slots are answered in order, so the next one to fill is free unless all are in flight.
    while (!last && this.inFlight === SLOTS && !this.failure) await new Promise<void>((r) => (this.wake = r));
    this.wake = undefined;
    if (this.failure && !last) throw this.failure;
  }
}

/** The one thread and its jobs. Referenced (keeps the process alive) only while a job is running. */
export class UploadCheckThread {
  private worker: Worker | undefined;
  private readonly jobs = new Map<number, UploadCheckJob>();
  private nextId = 1;

  start(
    snapshot: ScannerSnapshot,
    cleared: (upTo: number) => void,
    failed: (error: Error) => void,
  ): UploadCheckJob {
    const worker = this.ensureWorker();
    const job = new UploadCheckJob(this.nextId++, this, snapshot, cleared, failed);
    this.jobs.set(job.id, job);
    worker.ref();
    return job;
  }

  /** Whether the thread is up (tests: a small upload never starts it). */
  get running(): boolean {
    return this.worker !== undefined;
  }

  send(message: ToCheckThread): void {
    this.worker?.postMessage(message);
  }

  /** True when the job was still known. */
  forget(id: number): boolean {
    const known = this.jobs.delete(id);
    if (this.jobs.size === 0) this.worker?.unref();
    return known;
  }

  /** Stops the thread (the api's shutdown); an upload still being judged fails as unavailable. */
  async close(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.lost(worker, 'the api is shutting down');
    await worker.terminate();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = startWorker();
    worker.on('message', (message: FromCheckThread) => this.jobs.get(message.job)?.answer(message));
    worker.on('error', (error) => this.lost(worker, error.message));
    worker.on('exit', (code) => this.lost(worker, `exited with code ${code}`));
    worker.unref();
    this.worker = worker;
    return worker;
  }

  /** A thread that failed or was stopped; its jobs fail, and a thread started since is not this one. */
  private lost(worker: Worker, why: string): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    const jobs = [...this.jobs.values()];
    this.jobs.clear();
    for (const job of jobs) job.fail(new UploadCheckUnavailableError(why));
  }
}

/**
 * The built file beside this one; from the TypeScript sources (the unit tests run them uncompiled) the thread
 * compiles what it loads with swc, a development dependency the built api never reaches.
 */
function startWorker(): Worker {
  const built = join(__dirname, 'upload-check.worker.js');
  if (existsSync(built)) return new Worker(built);
  return new Worker(FROM_SOURCES, { eval: true, workerData: join(__dirname, 'upload-check.worker.ts') });
}

const FROM_SOURCES = `
const { readFileSync } = require('node:fs');
const { workerData } = require('node:worker_threads');
const { transformSync } = require('@swc/core');
require.extensions['.ts'] = (module, filename) => {
  const options = { filename, swcrc: false, jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } };
  module._compile(transformSync(readFileSync(filename, 'utf8'), options).code, filename);
};
require(workerData);
`;

/** The process's one check thread. */
export const uploadCheckThread = new UploadCheckThread();
