// src/net/capped.ts: the one capped body reader (ARM and Fabric refuse a cut body, the probe keeps it).
import { describe, expect, it } from 'vitest';
import { readCapped } from '../../../src/net/capped.js';

function body(chunks: Array<Uint8Array | string>) {
  let destroyed = false;
  let read = 0;
  return {
    get destroyed() {
      return destroyed;
    },
    get read() {
      return read;
    },
    destroy: () => void (destroyed = true),
    async *[Symbol.asyncIterator]() {
      for (const chunk of chunks) {
        read++;
        yield chunk;
      }
    },
  };
}

describe('readCapped', () => {
  it('reads a body of exactly the cap whole', async () => {
    const b = body([Buffer.from('abc'), 'de']);
    expect(await readCapped(b, 5)).toEqual({ text: 'abcde', bytes: 5, truncated: false });
    expect(b.destroyed).toBe(false);
  });

  it('past the cap: keeps the first cap bytes, says so, stops reading and destroys the stream', async () => {
    const b = body([new Uint8Array([0x61, 0x62, 0x63]), new Uint8Array([0x64, 0x65, 0x66]), 'never read']);
    expect(await readCapped(b, 4)).toEqual({ text: 'abcd', bytes: 6, truncated: true });
    expect(b.destroyed).toBe(true);
    expect(b.read).toBe(2);
  });

  it('tells each chunk kept to onChunk; when it throws (a run out of budget), stops and destroys the stream', async () => {
    const seen: number[] = [];
    const b = body(['ab', 'cde', 'f']);
    const error = new Error('out of budget');
    await expect(
      readCapped(b, 10, (n) => {
        seen.push(n);
        if (seen.length === 2) throw error;
      }),
    ).rejects.toBe(error);
    expect(seen).toEqual([2, 3]);
    expect(b.destroyed).toBe(true);
    expect(b.read).toBe(2);
  });

  it('reads a Uint8Array view at its offset (not the whole underlying buffer)', async () => {
    const view = new TextEncoder().encode('xxhixx').subarray(2, 4);
    expect((await readCapped(body([view]), 10)).text).toBe('hi');
  });
});
