import type { INestApplicationContext } from '@nestjs/common';
import { AppLogger } from '../logging/app-logger';

/** Prints `accord: <line>` on stderr and exits 1: start-up failures are for an operator to read, not debug. */
export function exitWithLine(line: string): never {
  process.stderr.write(`accord: ${line.replace(/\s*\n\s*/g, ' ')}\n`);
  process.exit(1);
}

/** A start-up error as one line: errno code and message, no stack. */
export function describeStartupError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    // Only system errors' codes (EADDRINUSE, EACCES) add anything; our own codes are for machines.
    return typeof code === 'string' && /^E[A-Z]+$/.test(code) && !error.message.includes(code)
      ? `${code}: ${error.message}`
      : error.message;
  }
  return String(error);
}

const FORCED_EXIT_MS = 15_000;

/**
 * SIGTERM or SIGINT closes the app (HTTP server first, then the ShutdownSequence: projector, read.db, event
 * store) and exits 0. Nest's enableShutdownHooks would re-raise the signal instead, so orchestrators
 * would see a kill rather than a clean exit. A second signal, or a close hanging past 15 s, exits at once.
 */
export function closeOnSignals(app: INestApplicationContext, logger: AppLogger, name: string): void {
  let closing = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (closing) {
      logger.warn(`${name}: second ${signal}, exiting without finishing shutdown`);
      process.exit(1);
    }
    closing = true;
    logger.info(`${name} stopping (${signal})`);
    setTimeout(() => {
      logger.error(`${name}: shutdown took longer than ${FORCED_EXIT_MS} ms, exiting`);
      process.exit(1);
    }, FORCED_EXIT_MS).unref();
    app.close().then(
      () => {
        logger.info(`${name} stopped`);
        process.exit(0);
      },
      (error: unknown) => {
        logger.error(`${name}: shutdown failed`, { err: error });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
