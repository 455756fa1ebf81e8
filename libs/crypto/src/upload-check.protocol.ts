import type { MessageErrorCode } from './crypto.errors';
import type { ScannerSnapshot } from './encrypted-message.scanner';

/** Main thread → check thread. Slots of one job are sent, judged and answered in order. */
export type ToCheckThread =
  | { type: 'start'; job: number; ring: SharedArrayBuffer; slotBytes: number; scanner: ScannerSnapshot }
  | { type: 'slot'; job: number; slot: number; length: number; last: boolean }
  | { type: 'stop'; job: number };

/** Check thread → main thread: one answer per slot (a refusal or failure ends the job). */
export type FromCheckThread =
  | { job: number; cleared: number }
  | { job: number; refused: { code: MessageErrorCode; detail: string } }
  | { job: number; failed: string };
