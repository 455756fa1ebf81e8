import type { NextFunction, Request, Response } from 'express';
import type { ProjectorHost } from '../projections/projector-host';
import { currentRequestContext } from './request-context';
import { RequestError } from './request-error';

/**
 * Read-your-writes across api nodes (docs/architecture.md §38). A node waits for its own read models after
 * its own writes (ReadYourWrites), but behind a balancer the client's next request may reach another node
 * whose read models have not yet taken the write in. So every answer to a request that appended carries the
 * log position of its last event (POSITION_HEADER); a client echoes the highest it has seen in
 * MIN_POSITION_HEADER, and the node that receives it waits until its read models reach that position before
 * handling the request (authentication included: a token issued on one node works at once on another). A
 * node that cannot catch up within READ_YOUR_WRITES_TIMEOUT_MS answers 503 with Retry-After.
 */
export const POSITION_HEADER = 'accord-position';
export const MIN_POSITION_HEADER = 'accord-min-position';

/** Called by the event store wrapper after every append: raises the request's position header. */
export function noteAppendedPosition(position: number): void {
  currentRequestContext()?.appended?.(position);
}

/** The request context's `appended` callback for one response: the header holds the highest position. */
export function positionRecorder(res: Response): (position: number) => void {
  let highest = 0;
  return (position) => {
    if (position <= highest) return;
    highest = position;
    // A streamed answer (a download) may have sent its headers already; its write came before the stream.
    if (!res.headersSent) res.setHeader(POSITION_HEADER, String(position));
  };
}

const POSITION = /^\d{1,15}$/;

export const invalidMinPosition = (): RequestError =>
  new RequestError(
    'invalid-min-position',
    400,
    'Invalid Accord-Min-Position',
    'The Accord-Min-Position header must be a log position from an Accord-Position header (a whole number).',
  );

/** Express middleware: waits for the read models to reach the position the client echoes, if any. */
export function awaitMinPosition(host: ProjectorHost, timeoutMs: number) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const raw = req.headers[MIN_POSITION_HEADER];
    if (raw === undefined) return next();
    const value = Array.isArray(raw) ? raw[0] : raw;
    if (value === undefined || !POSITION.test(value.trim())) return next(invalidMinPosition());
    const position = Number(value.trim());
    if (position === 0) return next();
    host.waitFor(position, timeoutMs).then(() => next(), next);
  };
}
