import { describe, expect, it } from 'vitest';
import { BlockScanner } from './block-scanner';

function closedIn(text: string): string {
  return text.slice(0, new BlockScanner().scan(text));
}

describe('BlockScanner', () => {
  it('closes blocks at blank lines', () => {
    expect(closedIn('Para one.\n\nPara two')).toBe('Para one.\n\n');
  });

  it('does not close inside a code fence, even at blank lines', () => {
    const text = 'Intro\n\n```python\nx = 1\n\ny = 2\n';
    expect(closedIn(text)).toBe('Intro\n\n');
    expect(closedIn(`${text}\`\`\`\n\nafter`)).toBe(`${text}\`\`\`\n\n`);
  });

  it('does not close inside display math, with either delimiter', () => {
    expect(closedIn('$$\na\n\nb\n')).toBe('');
    expect(closedIn('$$\na\n\nb\n$$\n\nnext')).toBe('$$\na\n\nb\n$$\n\n');
    expect(closedIn('\\[\nx\n\n\\]\n\nrest')).toBe('\\[\nx\n\n\\]\n\n');
    expect(closedIn('$$ x $$\n\nrest')).toBe('$$ x $$\n\n');
  });

  it('gives the same answer fed piece by piece as all at once', () => {
    const text = 'A\n\n```js\nlet a;\n\n```\n\n$$\n1\n\n$$\n\nB\n\nC';
    const scanner = new BlockScanner();
    let closed = 0;
    for (let end = 1; end <= text.length; end++) closed = scanner.scan(text.slice(0, end));
    expect(closed).toBe(new BlockScanner().scan(text));
  });
});
