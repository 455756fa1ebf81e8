/**
 * The ciphertext check's byte histogram in WebAssembly (docs/architecture.md §37.5.1). The check counts
 * every byte of an upload (ciphertext.statistics.ts); JavaScript's loop costs about 1.0-1.3 ms of CPU per
 * MiB, this one about half, the copy into its memory included. The counts are the same numbers, so the
 * verdicts are too. A few dozen bytes, written out here rather than built by a toolchain this repository
 * does not have; compiled once per process, when the first scanner needs it.
 *
 * Memory (one 64 KiB page): 256 u32 counts at 0, the bytes to count at DATA_AT. `h(from, end)` adds 1 to
 * counts[byte] for every byte in [from, end), four bytes a turn, (end - from) a multiple of four.
 */
const DATA_AT = 1024;
const DATA_BYTES = 64 * 1024 - DATA_AT;

const leb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
};
const section = (id: number, bytes: number[]): number[] => [id, ...leb(bytes.length), ...bytes];

/** counts[load8_u(p + at)] += 1, the table indexed in bytes (value << 2). Local 2 holds the address. */
const countAt = (at: number): number[] => [
  ...[0x20, 0x00, 0x2d, 0x00, ...leb(at)], // local.get p; i32.load8_u offset=at
  ...[0x41, 0x02, 0x74, 0x22, 0x02], // i32.const 2; i32.shl; local.tee a
  ...[0x20, 0x02, 0x28, 0x02, 0x00], // local.get a; i32.load
  ...[0x41, 0x01, 0x6a, 0x36, 0x02, 0x00], // i32.const 1; i32.add; i32.store
];

const BODY = [
  ...[0x01, 0x01, 0x7f], // one extra i32 local (a)
  ...[0x02, 0x40, 0x03, 0x40], // block; loop
  ...[0x20, 0x00, 0x41, 0x04, 0x6a, 0x20, 0x01, 0x4b, 0x0d, 0x01], // br_if out when p + 4 > end
  ...countAt(0),
  ...countAt(1),
  ...countAt(2),
  ...countAt(3),
  ...[0x20, 0x00, 0x41, 0x04, 0x6a, 0x21, 0x00, 0x0c, 0x00], // p += 4; br loop
  ...[0x0b, 0x0b, 0x0b], // end loop, block, function
];

const BINARY = new Uint8Array([
  ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
  ...section(1, [0x01, 0x60, 0x02, 0x7f, 0x7f, 0x00]), // type: (i32, i32) -> ()
  ...section(3, [0x01, 0x00]), // one function of that type
  ...section(5, [0x01, 0x00, 0x01]), // memory: one page, fixed
  ...section(7, [0x02, 0x01, 0x6d, 0x02, 0x00, 0x01, 0x68, 0x00, 0x00]), // exports "m" (memory), "h"
  ...section(10, [0x01, ...leb(BODY.length), ...BODY]),
]);

/** The part of the WebAssembly global used here (this library's TypeScript lib has no DOM types). */
interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: unknown };
}
const wasm = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;

let compiled: object | undefined;

/** One upload's counts, in WebAssembly memory of its own. */
export class WasmByteHistogram {
  /** The 256 counts: read and cleared by the caller as any Uint32Array. */
  readonly counts: Uint32Array;
  private readonly data: Uint8Array;
  private readonly add: (from: number, end: number) => void;

  constructor() {
    compiled ??= new wasm.Module(BINARY);
    const exports = new wasm.Instance(compiled).exports as {
      m: { buffer: ArrayBuffer };
      h: (from: number, end: number) => void;
    };
    this.counts = new Uint32Array(exports.m.buffer, 0, 256);
    this.data = new Uint8Array(exports.m.buffer, DATA_AT, DATA_BYTES);
    this.add = exports.h;
  }

  /** Counts bytes[from, from + length). */
  count(bytes: Uint8Array, from: number, length: number): void {
    const counts = this.counts;
    for (let at = from, end = from + length; at < end; at += DATA_BYTES) {
      const piece = Math.min(DATA_BYTES, end - at);
      this.data.set(bytes.subarray(at, at + piece));
      const whole = piece & ~3;
      this.add(DATA_AT, DATA_AT + whole);
      for (let i = at + whole; i < at + piece; i += 1) counts[bytes[i]!]!++;
    }
  }
}
