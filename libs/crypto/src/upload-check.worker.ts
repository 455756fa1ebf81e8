/*
 * The upload check's thread (upload-check.thread.ts starts it): each job is one upload's scanner, resumed from
 * the state the main thread had reached, fed the ring slots the main thread fills, answering after every slot
 * with how far the input has been judged. The scanner is the one of §31, unchanged: only where it runs moves.
 */
import { parentPort } from 'node:worker_threads';
import { MessageError } from './crypto.errors';
import { EncryptedMessageScanner } from './encrypted-message.scanner';
import type { FromCheckThread, ToCheckThread } from './upload-check.protocol';

const jobs = new Map<number, { scanner: EncryptedMessageScanner; ring: Uint8Array; slotBytes: number }>();
const port = parentPort!;

port.on('message', (message: ToCheckThread) => {
  if (message.type === 'start') {
    const ring = new Uint8Array(message.ring);
    jobs.set(message.job, {
      scanner: EncryptedMessageScanner.resume(message.scanner),
      ring,
      slotBytes: message.slotBytes,
    });
    return;
  }
  if (message.type === 'stop') return void jobs.delete(message.job);
  const job = jobs.get(message.job);
  // Stopped meanwhile (the upload failed elsewhere): nobody waits for the answer.
  if (!job) return;
  let reply: FromCheckThread;
  try {
    const at = message.slot * job.slotBytes;
    job.scanner.push(job.ring.subarray(at, at + message.length));
    if (message.last) job.scanner.end();
    reply = { job: message.job, cleared: message.last ? Infinity : job.scanner.cleared };
  } catch (error) {
    jobs.delete(message.job);
    reply =
      error instanceof MessageError
        ? { job: message.job, refused: { code: error.code, detail: error.detail } }
        : { job: message.job, failed: String(error) };
  }
  if (message.last) jobs.delete(message.job);
  port.postMessage(reply);
});
