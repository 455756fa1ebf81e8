import { createHash } from 'node:crypto';
import { sealedBody, sealRows } from '../adapters/sqlite/sqlite.seal';
import { GENESIS_HASH, JsonObject, NewEvent } from '../envelope';
import { picker, random } from '../testing/random';
import { eventLeafHash, leafDigest, leafText } from './leaf';
import { EMPTY_ROOT, leafHash, nodeDigest, nodeHash } from './tree-math';

/** RFC 9162's leaf hash of leafText written out with nothing but createHash: what every path must give. */
function reference(body: string, hash: string, position: number): Buffer {
  return createHash('sha256')
    .update(Buffer.from([0x00]))
    .update(Buffer.from(leafText(body, hash, position), 'utf8'))
    .digest();
}

const rnd = random(9162);
const pick = picker(rnd);

/** Pieces of text that take 1 to 4 bytes of UTF-8, escapes, lone surrogates (written as U+FFFD) and NUL. */
const PIECES = [
  'a',
  '"',
  '\\',
  '{"k":1}',
  'é',
  '€',
  '😀',
  '\ud800',
  '\udc00',
  '\u0000',
  '\n',
  'ü'.repeat(40),
];

function text(maxPieces: number): string {
  let s = '';
  for (let i = Math.floor(rnd() * maxPieces); i > 0; i--) s += pick(PIECES);
  return s;
}

/** The append path's leaf as a Buffer. */
const leafHashOf = (body: string, hash: string, position: number): Buffer =>
  Buffer.from(leafDigest(body, hash, position), 'latin1');

describe('leafDigest (the append path: the leaf text written as bytes, never built)', () => {
  it('hashes exactly the bytes of leafText, on random text of every UTF-8 width, however long', () => {
    for (let i = 0; i < 5000; i++) {
      // Every 50th body is long enough to outgrow the reused buffer (or, past 64 KiB of worst-case UTF-8, to
      // be hashed from its text); the next ones are short again, so stale bytes after a short leaf would show.
      const body = text(i % 500 === 250 ? 20000 : i % 50 === 0 ? 4000 : 60);
      const hash = rnd() < 0.8 ? createHash('sha256').update(body).digest('hex') : text(8);
      const position = pick([1, 2, 1 + Math.floor(rnd() * 2 ** 32), Number.MAX_SAFE_INTEGER]);
      const want = reference(body, hash, position);
      expect(leafHashOf(body, hash, position).toString('hex')).toBe(want.toString('hex'));
      expect(leafHash(leafText(body, hash, position)).toString('hex')).toBe(want.toString('hex'));
    }
  });

  it("writes a 64-character hash that is not sealing's lowercase hex as JSON.stringify does", () => {
    const body = '{"data":{},"eventId":"e"}';
    const hex = 'ab'.repeat(32);
    // Each breaks the byte-by-byte path at a different digit, after some digits were already written.
    for (const hash of [
      hex.toUpperCase(),
      hex.slice(0, 63) + '"',
      '"' + hex.slice(1),
      hex.slice(0, 40) + 'é' + hex.slice(41),
      hex.slice(0, 63) + '\\',
      hex.slice(0, 10) + '\ud800' + hex.slice(11),
    ]) {
      expect(hash).toHaveLength(64);
      expect(leafHashOf(body, hash, 42).toString('hex')).toBe(reference(body, hash, 42).toString('hex'));
    }
  });

  it('is sensitive to every byte: a one-character change of the body, hash or position changes it', () => {
    const body = '{"data":{"a":"é"},"eventId":"e"}';
    const hash = 'ab'.repeat(32);
    const leaf = leafHashOf(body, hash, 7);
    expect(leafHashOf(body.replace('é', 'e'), hash, 7).equals(leaf)).toBe(false);
    expect(leafHashOf(body, 'ab'.repeat(31) + 'ac', 7).equals(leaf)).toBe(false);
    expect(leafHashOf(body, hash, 8).equals(leaf)).toBe(false);
    expect(leafHashOf(body, hash, 7).equals(leaf)).toBe(true);
  });

  it('gives a sealed event the leaf that its decoded form and its stored columns give', () => {
    const values = (): JsonObject => {
      const o: JsonObject = {};
      for (let k = Math.floor(rnd() * 6); k > 0; k--) {
        o[text(3) + 'k'] = pick([text(20), rnd() * 1e6, -0, null, true, [text(5), 1.5], { n: text(4) }]);
      }
      return o;
    };
    for (let i = 0; i < 1000; i++) {
      const events: NewEvent[] = Array.from({ length: 1 + Math.floor(rnd() * 3) }, (_, k) => ({
        eventId: `01900000-0000-7000-8000-${String(i * 10 + k).padStart(12, '0')}`,
        type: pick(['DocumentShared', 'Tÿpe "q"']),
        data: values(),
        meta: {
          occurredAt: '2026-12-07T07:00:00.000Z',
          actor: { userId: text(4), orgId: 'o', role: 'practitioner' },
          correlationId: 'c',
          x: values(),
        },
      }));
      const streamId = 'document-' + text(4);
      const { rows } = sealRows(streamId, 0, GENESIS_HASH, events);
      rows.forEach(([eventId, revision, type, data, meta, body, hash], k) => {
        const position = 1 + i * 4 + k;
        const leaf = leafHashOf(body, hash, position).toString('hex');
        const decoded = {
          eventId,
          type,
          streamId,
          revision,
          position,
          data: JSON.parse(data) as JsonObject,
          meta: JSON.parse(meta) as NewEvent['meta'] & { prevHash: string; hash: string },
        };
        expect(leaf).toBe(eventLeafHash(decoded).toString('hex'));
        expect(leaf).toBe(
          reference(sealedBody(eventId, streamId, revision, type, data, meta), hash, position).toString(
            'hex',
          ),
        );
      });
    }
  });
});

describe('leafHash, nodeHash and nodeDigest (one-shot SHA-256 through a latin1 digest)', () => {
  it('give the bytes createHash gives, digests with every byte value included', () => {
    for (let i = 0; i < 2000; i++) {
      const left = Buffer.from(Array.from({ length: 32 }, () => Math.floor(rnd() * 256)));
      const right = Buffer.from(Array.from({ length: 32 }, () => Math.floor(rnd() * 256)));
      const node = createHash('sha256')
        .update(Buffer.from([0x01]))
        .update(left)
        .update(right)
        .digest();
      expect(nodeHash(left, right).toString('hex')).toBe(node.toString('hex'));
      expect(nodeDigest(left.toString('latin1'), right.toString('latin1'))).toBe(node.toString('latin1'));
      const bytes = Buffer.concat([left, right]).subarray(0, Math.floor(rnd() * 64));
      const leaf = createHash('sha256')
        .update(Buffer.from([0x00]))
        .update(bytes)
        .digest();
      expect(leafHash(bytes).toString('hex')).toBe(leaf.toString('hex'));
    }
    expect(EMPTY_ROOT.toString('hex')).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
  });
});
