import { Readable } from 'node:stream';
import { readParts } from './part-reader';

async function partSizes(chunks: (Buffer | string)[], partSize: number): Promise<number[]> {
  const sizes: number[] = [];
  for await (const part of readParts(Readable.from(chunks), partSize)) sizes.push(part.length);
  return sizes;
}

describe('readParts', () => {
  it('cuts a stream into parts of exactly partSize, the last one shorter', async () => {
    expect(await partSizes([Buffer.alloc(7), Buffer.alloc(3), Buffer.alloc(9)], 5)).toEqual([5, 5, 5, 4]);
  });

  it('yields no empty part when the stream ends on a part boundary, and nothing for an empty stream', async () => {
    expect(await partSizes([Buffer.alloc(4), Buffer.alloc(6)], 5)).toEqual([5, 5]);
    expect(await partSizes([], 5)).toEqual([]);
  });

  it('keeps the bytes in order across chunk and part boundaries, strings as UTF-8', async () => {
    const parts: Buffer[] = [];
    for await (const part of readParts(Readable.from(['abc', Buffer.from('defgh'), 'é']), 3))
      parts.push(part);
    expect(parts.map((p) => p.toString('latin1'))).toEqual(['abc', 'def', 'gh\xc3', '\xa9']);
  });

  it('hands out a new buffer for every part, so a part still uploading is never overwritten', async () => {
    const parts: Buffer[] = [];
    for await (const part of readParts(Readable.from([Buffer.from('aaaabbbbcc')]), 4)) parts.push(part);
    expect(parts.map(String)).toEqual(['aaaa', 'bbbb', 'cc']);
  });

  it('destroys the body when the reader stops early', async () => {
    const body = Readable.from([Buffer.alloc(10), Buffer.alloc(10), Buffer.alloc(10)]);
    for await (const part of readParts(body, 10)) {
      expect(part).toHaveLength(10);
      break;
    }
    expect(body.destroyed).toBe(true);
  });
});
