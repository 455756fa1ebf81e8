import type { Readable } from 'node:stream';
import { nodeToWeb, toNodeReadable, webToNode, type ByteSource } from './byte-streams';
import { encryptWebStream, type EncryptOptions } from './message.web-stream';

export type { EncryptOptions } from './message.web-stream';

/**
 * Encrypts a byte stream to several public keys as a binary OpenPGP message, streaming end to end (memory
 * does not grow with the input). Uncompressed. Key problems are reported before any byte is read, as
 * KeyValidationError with the rule's code. The rules are encryptWebStream's, which the browser runs too.
 */
export async function encryptStream(input: ByteSource, options: EncryptOptions): Promise<Readable> {
  const web = nodeToWeb(toNodeReadable(input)) as unknown as ReadableStream<Uint8Array>;
  const encrypted = await encryptWebStream(web, options);
  return webToNode(encrypted as unknown as Parameters<typeof webToNode>[0]);
}
