import { WasmByteHistogram } from './byte-histogram.wasm';
import { fileSignatureAt, judgeWindow, WINDOW_BYTES } from './ciphertext.statistics';
import { MessageError } from './crypto.errors';

/**
 * Reads a whole binary OpenPGP message as it streams and refuses anything but the one shape a share may
 * have (RFC 9580 §4.2 framing, §5.1 PKESK, §5.13 SEIPD): one or more PKESK packets (v3 or v6), then exactly
 * one Symmetrically Encrypted Integrity Protected Data packet (tag 18; v1, or v2 with a valid cipher, AEAD
 * mode and chunk size) whose (partial) lengths run exactly to the end of the input, nothing after it. The
 * encrypted body is judged window by window (ciphertext.statistics.ts): bytes that do not look like a
 * cipher's output are refused too.
 *
 * `cleared` is how many input bytes have been fully judged: a caller storing the message writes no byte past
 * it, so a refused message never reaches storage, not even a temporary file.
 *
 * Errors: MessageError `message.malformed` (the structure) and `message.not-ciphertext` (the statistics).
 */
export class EncryptedMessageScanner {
  private phase: 'header' | 'esk-body' | 'data-params' | 'data-body' | 'segment-length' | 'done' = 'header';
  private offset = 0;
  private pending: number[] = [];
  private pkeskCount = 0;
  private bodyRemaining = 0;
  private lastSegment = true;
  private firstSegment = true;
  private dataLength = 0;
  private dataVersion = 0;
  private chunkOctet = 0;
  private paramsNeeded = 1;
  /** Start (input offset) of the window being filled; everything before it has been judged. */
  private windowStart = 0;
  private windowLength = 0;
  private counts: Uint32Array<ArrayBufferLike> = new Uint32Array(256);
  /** Counts in WebAssembly once the encrypted data passes WASM_FROM_BYTES (byte-histogram.wasm.ts). */
  private wasm: WasmByteHistogram | undefined;
  /** The first ciphertext bytes, for file signatures. */
  private head: number[] = [];
  private clearedTo = 0;
  private signatureChecked = false;

  get cleared(): number {
    return this.clearedTo;
  }

  push(bytes: Uint8Array): void {
    let i = 0;
    while (i < bytes.length) {
      switch (this.phase) {
        case 'header':
        case 'esk-body':
        case 'data-params':
        case 'segment-length':
          this.pending.push(bytes[i]!);
          i += 1;
          this.offset += 1;
          this.step();
          break;
        case 'data-body': {
          const take = Math.min(this.bodyRemaining, bytes.length - i, WINDOW_BYTES - this.windowLength);
          this.observe(bytes, i, take);
          i += take;
          this.offset += take;
          this.bodyRemaining -= take;
          this.dataLength += take;
          if (this.windowLength === WINDOW_BYTES) this.closeWindow();
          if (this.bodyRemaining === 0) this.endSegment();
          break;
        }
        case 'done':
          throw malformed('data after the encrypted data packet');
      }
    }
    if (this.phase !== 'data-body' && this.phase !== 'done') return;
    if (this.windowLength === 0) this.clearedTo = this.offset;
  }

  /** The input ended: the message must be complete. */
  end(): { pkeskCount: number; version: number; encryptedBytes: number } {
    if (this.phase !== 'done') throw malformed('the message ends inside a packet');
    return { pkeskCount: this.pkeskCount, version: this.dataVersion, encryptedBytes: this.dataLength };
  }

  private step(): void {
    if (this.phase === 'header') return this.readHeader();
    if (this.phase === 'esk-body') {
      if (this.pending.length < this.bodyRemaining) return;
      checkPkesk(Uint8Array.from(this.pending));
      this.pending = [];
      this.pkeskCount += 1;
      this.phase = 'header';
      this.clearedTo = this.offset;
      return;
    }
    if (this.phase === 'segment-length') return this.readSegmentLength();
    if (this.phase === 'data-params') return this.readParams();
  }

  private readHeader(): void {
    const p = this.pending;
    const first = p[0]!;
    if ((first & 0x80) === 0) throw malformed('not OpenPGP packet framing');
    if ((first & 0x40) === 0) {
      // Legacy framing has 4-bit tags: never an encrypted data packet.
      const tag = (first >> 2) & 0x0f;
      if (tag !== 1) throw malformed(`a packet of tag ${tag} where only PKESK or SEIPD may be`);
      const lengthType = first & 0x03;
      if (lengthType === 3) throw malformed('indeterminate length on a PKESK');
      const size = 1 << lengthType;
      if (p.length < 1 + size) return;
      let length = 0;
      for (let i = 1; i <= size; i += 1) length = length * 256 + p[i]!;
      return this.startEsk(length);
    }
    const tag = first & 0x3f;
    if (tag !== 1 && tag !== 18) throw malformed(`a packet of tag ${tag} where only PKESK or SEIPD may be`);
    const length = newFormatLength(p, 1);
    if (length === 'need-more') return;
    if (tag === 1) {
      if (length.partial) throw malformed('partial length on a PKESK');
      return this.startEsk(length.value);
    }
    if (this.pkeskCount === 0) throw malformed('encrypted data without a PKESK before it');
    this.pending = [];
    this.phase = 'data-params';
    this.startSegment(length);
  }

  private startEsk(length: number): void {
    if (this.dataVersion !== 0) throw malformed('a PKESK after the encrypted data');
    if (length < 10 || length > 8192) throw malformed('PKESK length out of range');
    this.pending = [];
    this.bodyRemaining = length;
    this.phase = 'esk-body';
  }

  private startSegment(length: { value: number; partial: boolean }): void {
    if (length.partial && this.firstSegment && length.value < 512)
      throw malformed('first partial length under 512 octets');
    this.firstSegment = false;
    this.bodyRemaining = length.value;
    this.lastSegment = !length.partial;
  }

  private readSegmentLength(): void {
    const length = newFormatLength(this.pending, 0);
    if (length === 'need-more') return;
    this.pending = [];
    this.startSegment(length);
    this.phase = this.dataVersion === 0 ? 'data-params' : 'data-body';
    if (this.bodyRemaining === 0) this.endSegment();
  }

  /** SEIPD v1: one version octet; v2: version, cipher, AEAD mode, chunk size (then the salt, as body). */
  private readParams(): void {
    // Params are part of the packet body: they use up the current segment.
    this.bodyRemaining -= 1;
    this.dataLength += 1;
    const p = this.pending;
    if (p.length === 1) {
      if (p[0] === 1) this.paramsNeeded = 1;
      else if (p[0] === 2) this.paramsNeeded = 4;
      else throw malformed(`SEIPD version ${p[0]}`);
    }
    if (p.length === 2 && ![7, 8, 9, 10, 11, 12, 13].includes(p[1]!))
      throw malformed(`SEIPD v2 cipher ${p[1]}`);
    if (p.length === 3 && ![1, 2, 3].includes(p[2]!)) throw malformed(`SEIPD v2 AEAD mode ${p[2]}`);
    if (p.length === 4) {
      if (p[3]! > 16) throw malformed(`SEIPD v2 chunk size octet ${p[3]}`);
      this.chunkOctet = p[3]!;
    }
    if (p.length === this.paramsNeeded) {
      this.dataVersion = p[0]!;
      this.pending = [];
      this.phase = 'data-body';
      this.windowStart = this.offset;
      this.clearedTo = this.offset;
    }
    if (this.bodyRemaining === 0) this.endSegment();
    else if (this.bodyRemaining < 0) throw malformed('SEIPD shorter than its parameters');
  }

  private endSegment(): void {
    if (!this.lastSegment) {
      this.phase = 'segment-length';
      return;
    }
    if (this.dataVersion === 0) throw malformed('SEIPD shorter than its parameters');
    this.closeWindow();
    this.checkLength();
    this.phase = 'done';
    this.clearedTo = this.offset;
  }

  private observe(bytes: Uint8Array, from: number, length: number): void {
    if (this.head.length < 40)
      for (let i = from; i < from + length && this.head.length < 40; i += 1) this.head.push(bytes[i]!);
    this.windowLength += length;
    if (this.wasm) return this.wasm.count(bytes, from, length);
    if (this.dataLength >= WASM_FROM_BYTES) {
      // The window in progress carries on in the WebAssembly counts.
      this.wasm = new WasmByteHistogram();
      this.wasm.counts.set(this.counts);
      this.counts = this.wasm.counts;
      return this.wasm.count(bytes, from, length);
    }
    // The histogram in a local, four bytes a turn, costs about two thirds of a plain loop over this.counts.
    const counts = this.counts;
    const end = from + length;
    let i = from;
    for (; i + 4 <= end; i += 4) {
      counts[bytes[i]!]!++;
      counts[bytes[i + 1]!]!++;
      counts[bytes[i + 2]!]!++;
      counts[bytes[i + 3]!]!++;
    }
    for (; i < end; i += 1) counts[bytes[i]!]!++;
  }

  private closeWindow(): void {
    if (!this.signatureChecked) {
      this.signatureChecked = true;
      this.checkSignature();
    }
    const verdict = judgeWindow(this.counts, this.windowLength);
    if (!verdict.random) {
      throw new MessageError(
        'message.not-ciphertext',
        `The encrypted data does not look like ciphertext (${verdict.test} test, bytes ${this.windowStart}-${this.windowStart + this.windowLength})`,
      );
    }
    this.counts.fill(0);
    this.windowStart += this.windowLength;
    this.windowLength = 0;
    this.clearedTo = this.offset;
  }

  /** A file's signature where the ciphertext starts (v1), or after the v2 salt, is a file sent in clear. */
  private checkSignature(): void {
    const head = Uint8Array.from(this.head);
    const found =
      fileSignatureAt(head, 0) ?? (this.dataVersion === 2 ? fileSignatureAt(head, 32) : undefined);
    if (found)
      throw new MessageError(
        'message.not-ciphertext',
        `The encrypted data starts with a ${found} file signature: it is not ciphertext`,
      );
  }

  /**
   * SEIPD v2 has a computable length: 32 salt octets, chunks of 2^(c+6) octets each followed by a 16-octet
   * tag, the last chunk possibly shorter (but not empty unless it is the only one), then a final 16-octet tag.
   */
  private checkLength(): void {
    if (this.dataVersion === 1) {
      // Version octet, at least a block-size + 2 prefix, and the 22-octet MDC packet.
      if (this.dataLength < 1 + 10 + 22) throw malformed('SEIPD v1 too short to hold a message');
      return;
    }
    const chunk = 2 ** (this.chunkOctet + 6);
    const rest = this.dataLength - 4 - 32 - 16;
    if (rest < 0) throw malformed('SEIPD v2 too short');
    const remainder = rest % (chunk + 16);
    if (remainder > 0 && remainder <= 16 && rest !== 16)
      throw malformed('SEIPD v2 length inconsistent with its chunk size');
  }
}

/**
 * Encrypted data past this many bytes is counted in WebAssembly: the one loop over every byte of a large
 * upload (bench (i)) at half the CPU; a small share never instantiates it (an instance and its memory cost
 * more than counting a few KiB in JavaScript).
 */
const WASM_FROM_BYTES = 64 * 1024;

type Length = { value: number; partial: boolean };

/** A new-format length at p[at]: one, two or five octets, or a partial length (RFC 9580 §4.2.1). */
function newFormatLength(p: number[], at: number): Length | 'need-more' {
  const o1 = p[at];
  if (o1 === undefined) return 'need-more';
  if (o1 < 192) return { value: o1, partial: false };
  if (o1 < 224) {
    const o2 = p[at + 1];
    if (o2 === undefined) return 'need-more';
    return { value: ((o1 - 192) << 8) + o2 + 192, partial: false };
  }
  if (o1 === 255) {
    if (p.length < at + 5) return 'need-more';
    const value = ((p[at + 1]! << 24) >>> 0) + (p[at + 2]! << 16) + (p[at + 3]! << 8) + p[at + 4]!;
    return { value, partial: false };
  }
  return { value: 1 << (o1 & 0x1f), partial: true };
}

/** Public-key algorithms that can encrypt a session key: RSA, RSA encrypt-only, ElGamal, ECDH, X25519, X448. */
const PKESK_ALGORITHMS = new Set([1, 2, 16, 18, 25, 26]);

/** PKESK v3: version, key id (8), algorithm, key material; v6: version, length, key version + fingerprint, algorithm, material. */
function checkPkesk(body: Uint8Array): void {
  if (body[0] === 3) {
    if (!PKESK_ALGORITHMS.has(body[9]!)) throw malformed(`PKESK algorithm ${body[9]}`);
    if (body.length < 11) throw malformed('PKESK without key material');
    return;
  }
  if (body[0] === 6) {
    const length = body[1]!;
    if (length !== 0 && length !== 21 && length !== 33) throw malformed('PKESK v6 key reference length');
    if (length === 21 && body[2] !== 4) throw malformed('PKESK v6 key version');
    if (length === 33 && body[2] !== 6) throw malformed('PKESK v6 key version');
    const algorithm = body[2 + length];
    if (algorithm === undefined || !PKESK_ALGORITHMS.has(algorithm))
      throw malformed(`PKESK algorithm ${algorithm}`);
    if (body.length < 2 + length + 2) throw malformed('PKESK without key material');
    return;
  }
  throw malformed(`PKESK version ${body[0]}`);
}

function malformed(detail: string): MessageError {
  return new MessageError('message.malformed', `Not a well-formed encrypted OpenPGP message: ${detail}`);
}
