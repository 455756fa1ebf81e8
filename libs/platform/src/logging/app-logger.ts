import { Injectable, LoggerService } from '@nestjs/common';
import pino, { DestinationStream, Level, Logger } from 'pino';
import { currentRequestContext } from '../http/request-context';

/** Nest's start-up chatter (one line per module and route): useful when debugging, noise otherwise. */
const NEST_CHATTER = new Set([
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'NestFactory',
  'NestApplication',
]);

/** Belt and braces: we never log these, and if a field of that name slips into a log it is censored. */
const CENSORED = [
  'authorization',
  'token',
  'password',
  'secret',
  'secretKey',
  'platformSecret',
  'publicKey',
  'email',
];

/**
 * Each name at the top of a line, one level down and two (an object logged through `write` as Nest does is
 * itself one level down, under `detail`): a wildcard path matches at its own depth only.
 */
const REDACT = CENSORED.flatMap((name) => [name, `*.${name}`, `*.*.${name}`]);

/**
 * Structured JSON logs (pino) for our code and Nest's. Each line in a request carries its correlation id.
 * Log ids, codes, counts and routes only: never document content, keys, names, emails or subject
 * identifiers (docs/architecture.md §19.3).
 */
@Injectable()
export class AppLogger implements LoggerService {
  constructor(readonly pino: Logger) {}

  static create(level: string, destination?: DestinationStream): AppLogger {
    const logger = pino(
      {
        level,
        base: { pid: process.pid },
        timestamp: pino.stdTimeFunctions.isoTime,
        redact: { paths: REDACT, censor: '[redacted]' },
        formatters: { level: (label) => ({ level: label }) },
        mixin: () => {
          const ctx = currentRequestContext();
          return ctx ? { correlationId: ctx.correlationId } : {};
        },
      },
      // Synchronous writes: a line logged just before exit is not lost, and order matches events.
      destination ?? pino.destination({ dest: 1, sync: true }),
    );
    return new AppLogger(logger);
  }

  child(bindings: Record<string, unknown>): AppLogger {
    return new AppLogger(this.pino.child(bindings));
  }

  info(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }

  log(message: unknown, ...params: unknown[]): void {
    const context =
      typeof params[params.length - 1] === 'string' ? (params[params.length - 1] as string) : undefined;
    this.write(context !== undefined && NEST_CHATTER.has(context) ? 'debug' : 'info', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }

  /**
   * Accepts both our style, `(message, fields?)`, and Nest's, `(message, [stack,] context)`; an Error as
   * the message or in `fields.err` is serialised with its stack (server-side only).
   */
  private write(level: Level, message: unknown, params: unknown[]): void {
    if (!this.pino.isLevelEnabled(level)) return;
    const fields: Record<string, unknown> = {};
    for (const p of params) {
      if (typeof p === 'string') {
        if (p.includes('\n    at ')) fields.stack = p;
        else fields.context = p;
      } else if (p !== null && typeof p === 'object' && !(p instanceof Error)) {
        Object.assign(fields, p);
      } else if (p instanceof Error) {
        fields.err = p;
      }
    }
    if (message instanceof Error) {
      this.pino[level]({ ...fields, err: message }, message.message);
    } else if (typeof message === 'string') {
      this.pino[level](fields, message);
    } else {
      this.pino[level]({ ...fields, detail: message }, typeof message);
    }
  }
}
