import busboy from 'busboy';
import type { Readable } from 'node:stream';
import type { Request } from 'express';
import { assertCleanJson, jsonDepthExceeds, RequestError, tooDeep } from '@accord/platform';

/** Metadata is a few fields; anything bigger is not metadata. */
export const MAX_METADATA_BYTES = 256 * 1024;
/** The largest document accepted; a bigger upload is cut off with 413 and nothing is stored. */
export const MAX_PAYLOAD_BYTES = 1024 * 1024 * 1024;

export type UploadErrorCode =
  | 'documents.multipart-required'
  | 'documents.metadata-missing'
  | 'documents.metadata-after-payload'
  | 'documents.metadata-invalid'
  | 'documents.metadata-too-large'
  | 'documents.payload-missing'
  | 'documents.payload-too-large'
  | 'documents.unexpected-part';

const TITLES: Record<UploadErrorCode, [number, string]> = {
  'documents.multipart-required': [415, 'multipart/form-data required'],
  'documents.metadata-missing': [400, 'metadata part missing'],
  'documents.metadata-after-payload': [400, 'metadata must come before the payload'],
  'documents.metadata-invalid': [400, 'metadata is not a JSON object'],
  'documents.metadata-too-large': [413, 'metadata too large'],
  'documents.payload-missing': [400, 'payload part missing'],
  'documents.payload-too-large': [413, 'payload too large'],
  'documents.unexpected-part': [400, 'Unexpected multipart part'],
};

export const uploadError = (code: UploadErrorCode, detail: string): RequestError =>
  new RequestError(code, TITLES[code][0], TITLES[code][1], detail);

/** A POST /documents body being read: the metadata (already parsed), then the payload when it arrives. */
export interface ShareUpload {
  /** The parsed JSON of the `metadata` part (shape unchecked). */
  readonly metadata: unknown;
  /** The `payload` part as a stream, read from the request as the consumer reads it (never buffered). */
  payload(): Promise<Readable>;
  /** Stops reading: the rest of the body is drained unread (a refusal decided before the payload). */
  discard(): void;
  /** Why reading the payload failed, if it did (e.g. over the size limit). */
  failure(): Error | undefined;
}

/** A request's upload, not read yet: a caller who may not share at all is refused before a byte is. */
export interface ShareUploadSource {
  read(): Promise<ShareUpload>;
  /** Drains the body unread. */
  abandon(): void;
}

export function shareUploadSource(req: Request): ShareUploadSource {
  return { read: () => readShareUpload(req), abandon: () => void req.resume() };
}

/**
 * Reads a multipart upload whose first part is `metadata` (a JSON field, or a file part holding JSON) and
 * whose second is `payload`. Resolves once the metadata is parsed, so the share policy can refuse before a
 * byte of the payload is read. Refuses any other order or part, and more than these two parts.
 */
export function readShareUpload(req: Request): Promise<ShareUpload> {
  const type = req.headers['content-type'] ?? '';
  if (!/^multipart\/form-data/i.test(type)) {
    return Promise.reject(
      uploadError(
        'documents.multipart-required',
        'send multipart/form-data: a metadata part, then a payload part',
      ),
    );
  }
  let parser: busboy.Busboy;
  try {
    // `parts: 3`: busboy reports its parts limit as soon as the count reaches it, even on the closing
    // boundary of a form with exactly that many; the order and count rules are checked below instead.
    parser = busboy({
      headers: req.headers,
      limits: { fields: 1, files: 2, parts: 3, fieldSize: MAX_METADATA_BYTES, fileSize: MAX_PAYLOAD_BYTES },
    });
  } catch {
    return Promise.reject(uploadError('documents.multipart-required', 'the multipart boundary is missing'));
  }
  return new Promise<ShareUpload>((resolveMetadata, rejectMetadata) => {
    /** The metadata part began (a field arrives whole; a file part's JSON is read after its event). */
    let metadataPart = false;
    let metadataSeen = false;
    let discarded = false;
    let payloadStream: Readable | undefined;
    const payloadWaiters: { resolve: (s: Readable) => void; reject: (e: Error) => void }[] = [];
    let payloadFailure: Error | undefined;

    const failPayload = (error: Error): void => {
      payloadFailure ??= error;
      for (const w of payloadWaiters.splice(0)) w.reject(error);
    };
    const discard = (): void => {
      if (discarded) return;
      discarded = true;
      // Destroyed, never drained: a reader of a drained stream would see a clean, shortened end.
      payloadStream?.destroy(payloadFailure ?? uploadError('documents.unexpected-part', 'upload abandoned'));
      req.unpipe(parser);
      req.resume();
    };
    const fail = (error: Error): void => {
      rejectMetadata(error);
      failPayload(error);
      discard();
    };
    const acceptMetadata = (text: string): void => {
      let parsed: unknown;
      // The same edge checks as JSON bodies (libs/platform hostile-input.ts): depth before parsing, text after.
      if (jsonDepthExceeds(Buffer.from(text))) return fail(tooDeep());
      try {
        parsed = JSON.parse(text);
      } catch {
        return fail(uploadError('documents.metadata-invalid', 'the metadata part must be a JSON object'));
      }
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
        return fail(uploadError('documents.metadata-invalid', 'the metadata part must be a JSON object'));
      try {
        assertCleanJson(parsed);
      } catch (error) {
        return fail(error as Error);
      }
      metadataSeen = true;
      resolveMetadata({
        metadata: parsed,
        discard,
        failure: () => payloadFailure,
        payload: () =>
          payloadStream
            ? Promise.resolve(payloadStream)
            : payloadFailure
              ? Promise.reject(payloadFailure)
              : new Promise<Readable>((resolve, reject) => payloadWaiters.push({ resolve, reject })),
      });
    };

    parser.on('field', (name, value, info) => {
      if (name !== 'metadata' || metadataPart)
        return fail(uploadError('documents.unexpected-part', 'parts are `metadata`, then `payload`'));
      metadataPart = true;
      if (info.valueTruncated)
        return fail(
          uploadError('documents.metadata-too-large', `metadata is at most ${MAX_METADATA_BYTES} bytes`),
        );
      acceptMetadata(value);
    });
    parser.on('file', (name, stream) => {
      if (name === 'metadata' && !metadataPart) {
        metadataPart = true;
        return readMetadataFile(stream, acceptMetadata, fail);
      }
      if (name !== 'payload' || payloadStream) {
        stream.resume();
        return fail(uploadError('documents.unexpected-part', 'parts are `metadata`, then `payload`'));
      }
      if (!metadataPart) {
        stream.resume();
        return fail(uploadError('documents.metadata-after-payload', 'send the metadata part first'));
      }
      // Cut off, never truncated: a shortened payload must fail its put, not be stored as the document.
      stream.once('limit', () => {
        const error = uploadError(
          'documents.payload-too-large',
          `a document is at most ${MAX_PAYLOAD_BYTES} bytes`,
        );
        failPayload(error);
        stream.destroy(error);
      });
      // Failures reach whoever reads it, and payload()/failure(); without a listener one would crash the process.
      stream.on('error', () => undefined);
      payloadStream = stream;
      if (discarded) stream.destroy(payloadFailure);
      for (const w of payloadWaiters.splice(0)) w.resolve(stream);
    });
    const tooMany = () =>
      fail(uploadError('documents.unexpected-part', 'send exactly two parts: metadata, payload'));
    parser.on('partsLimit', tooMany);
    parser.on('filesLimit', tooMany);
    parser.on('fieldsLimit', tooMany);
    parser.on('error', () =>
      fail(uploadError('documents.metadata-invalid', 'the multipart body is malformed')),
    );
    parser.on('close', () => {
      if (!metadataSeen)
        fail(uploadError('documents.metadata-missing', 'send a metadata part, then a payload part'));
      else if (!payloadStream)
        failPayload(uploadError('documents.payload-missing', 'send a payload part after the metadata'));
    });
    req.on('error', (error) => fail(error));
    // A client that goes away mid-upload: without this the payload stream would wait for bytes forever.
    req.on('close', () => {
      if (!req.complete) fail(uploadError('documents.payload-missing', 'the upload was interrupted'));
    });
    req.pipe(parser);
  });
}

/** curl users send `-F metadata=@share.json`: a file part holding the JSON, read within the metadata limit. */
function readMetadataFile(stream: Readable, accept: (text: string) => void, fail: (e: Error) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let over = false;
  stream.on('data', (chunk: Buffer) => {
    if (over) return;
    size += chunk.length;
    if (size <= MAX_METADATA_BYTES) return void chunks.push(chunk);
    over = true;
    fail(uploadError('documents.metadata-too-large', `metadata is at most ${MAX_METADATA_BYTES} bytes`));
  });
  stream.on('end', () => {
    if (!over) accept(Buffer.concat(chunks).toString('utf8'));
  });
}
