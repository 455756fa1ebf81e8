import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';

/** What the streaming functions accept: bytes in memory, a Node byte stream, or a web byte stream. */
export type ByteSource = Uint8Array | Readable | WebReadableStream<Uint8Array>;

export function isWebStream(value: unknown): value is WebReadableStream<Uint8Array> {
  return typeof (value as { getReader?: unknown } | null)?.getReader === 'function';
}

/** Normalises any ByteSource to a Node Readable of bytes (the form Nest, fs and http hand us). */
export function toNodeReadable(source: ByteSource): Readable {
  if (source instanceof Uint8Array) return Readable.from([source], { objectMode: false });
  if (isWebStream(source)) return webToNode(source);
  return source;
}

/**
 * Node -> web, pulling one chunk per `pull` so the web side's backpressure reaches the source (we do not
 * rely on Readable.toWeb, whose buffering differs between Node 20 and 22). Cancelling destroys the source.
 */
export function nodeToWeb(source: Readable): WebReadableStream<Uint8Array> {
  const iterator = source[Symbol.asyncIterator]() as AsyncIterator<unknown>;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const { value, done } = await iterator.next();
        if (done) {
          controller.close();
          return;
        }
        controller.enqueue(asBytes(value));
      },
      async cancel(reason) {
        source.destroy(reason instanceof Error ? reason : undefined);
        await iterator.return?.();
      },
    },
    { highWaterMark: 0 },
  ) as WebReadableStream<Uint8Array>;
}

/** Web -> Node; destroying the Node side cancels the web stream. */
export function webToNode(source: WebReadableStream<Uint8Array>): Readable {
  const reader = source.getReader();
  let finished = false;
  const pull = async (into: Readable): Promise<void> => {
    try {
      const { value, done } = await reader.read();
      if (done) {
        finished = true;
        into.push(null);
      } else {
        into.push(value);
      }
    } catch (error) {
      finished = true;
      into.destroy(error instanceof Error ? error : new Error('stream failed'));
    }
  };
  return new Readable({
    read() {
      // Node ignores what read() returns; pull() settles every failure into destroy(), so nothing can reject.
      void pull(this);
    },
    destroy(error, callback) {
      if (finished) return callback(error);
      finished = true;
      reader.cancel(error ?? undefined).then(
        () => callback(error),
        () => callback(error),
      );
    },
  });
}

export function asBytes(chunk: unknown): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk;
  throw new TypeError('expected a byte stream (Buffer/Uint8Array chunks), got a string or object stream');
}
