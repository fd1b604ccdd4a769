import { describe, expect, it } from 'vitest';
import { TokenCountCache } from './token-count-cache';

function countingCache(limits = { maxEntries: 3, maxChars: 100 }) {
  const counted: string[] = [];
  const cache = new TokenCountCache((text) => {
    counted.push(text);
    return text.length;
  }, limits);
  return { cache, counted };
}

describe('TokenCountCache', () => {
  it('counts a block once and a whole prompt every time', () => {
    const { cache, counted } = countingCache();
    expect(cache.block('Instruct: hi\n')).toBe(13);
    expect(cache.block('Instruct: hi\n')).toBe(13);
    expect(cache.prompt('Instruct: hi\nOutput:')).toBe(20);
    expect(cache.prompt('Instruct: hi\nOutput:')).toBe(20);
    expect(counted).toEqual(['Instruct: hi\n', 'Instruct: hi\nOutput:', 'Instruct: hi\nOutput:']);
    expect(cache.size).toBe(1);
  });

  it('forgets the least recently used blocks beyond its entry and character limits', () => {
    const { cache, counted } = countingCache();
    for (const text of ['a', 'b', 'c']) cache.block(text);
    cache.block('a'); // used again: now the newest
    cache.block('d'); // over 3 entries: 'b' goes
    expect(cache.size).toBe(3);
    counted.length = 0;
    for (const text of ['a', 'c', 'd', 'b']) cache.block(text);
    expect(counted).toEqual(['b']);

    cache.block('x'.repeat(100)); // over 100 characters in all: the older blocks go
    expect(cache.size).toBe(1);
    cache.block('y'.repeat(101)); // larger than the whole cache: counted, not kept
    expect(cache.size).toBe(1);
  });
});
