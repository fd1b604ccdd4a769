import { describe, expect, it } from 'vitest';
import { titleFromText } from './title';

describe('titleFromText', () => {
  it('is the first line, trimmed, whatever ends it', () => {
    expect(titleFromText('  How fast?\nMore text')).toBe('How fast?');
    expect(titleFromText('First\rSecond')).toBe('First');
  });

  it('shortens a long line with an ellipsis within the limit', () => {
    const title = titleFromText('word '.repeat(40), 20);
    expect(title.length).toBeLessThanOrEqual(20);
    expect(title.endsWith('…')).toBe(true);
  });
});
