import type * as Kurrent from '@kurrent/kurrentdb-client';

let loaded: typeof Kurrent | undefined;

/**
 * The client library, loaded on first use. Requiring it costs about 350 ms (gRPC, protobuf, a native
 * module), which every process and test file importing @accord/event-store would otherwise pay, embedded
 * mode included. Everything else in this folder imports only its types.
 */
export function kurrent(): typeof Kurrent {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require('@kurrent/kurrentdb-client') as typeof Kurrent;
  return loaded;
}
