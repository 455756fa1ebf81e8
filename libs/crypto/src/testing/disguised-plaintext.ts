/**
 * The attack of issue 12 (docs/security.md): the PKESK packets of a genuine message addressed to
 * the right keys, then a tag-18 (SEIPD v1) packet header of a definite length whose body is not ciphertext
 * at all. Layout: PKESKs, 0xd2 0xff <4-octet length>, version octet 1, then `body` unchanged.
 */
export function disguise(genuine: Uint8Array, body: Uint8Array): Uint8Array {
  const pkesks = genuine.subarray(0, pkeskEnd(genuine));
  const length = body.length + 1;
  const header = Buffer.from([
    0xd2,
    0xff,
    length >>> 24,
    (length >>> 16) & 0xff,
    (length >>> 8) & 0xff,
    length & 0xff,
    1,
  ]);
  return Buffer.concat([pkesks, header, body]);
}

/** Where the first packet that is not a PKESK starts. */
function pkeskEnd(bytes: Uint8Array): number {
  let offset = 0;
  for (;;) {
    const first = bytes[offset]!;
    const newFormat = (first & 0x40) !== 0;
    const tag = newFormat ? first & 0x3f : (first >> 2) & 0x0f;
    if (tag !== 1) return offset;
    if (newFormat) {
      const o1 = bytes[offset + 1]!;
      if (o1 < 192) offset += 2 + o1;
      else if (o1 < 224) offset += 3 + ((o1 - 192) << 8) + bytes[offset + 2]! + 192;
      else offset += 6 + Buffer.from(bytes.subarray(offset + 2, offset + 6)).readUInt32BE(0);
    } else {
      const size = 1 << (first & 0x03);
      let length = 0;
      for (let i = 1; i <= size; i += 1) length = length * 256 + bytes[offset + i]!;
      offset += 1 + size + length;
    }
  }
}
