import { describe, expect, it } from 'vitest';
import { renderMarkdown } from './render-markdown';

describe('renderMarkdown', () => {
  it('renders each math delimiter with KaTeX', () => {
    for (const source of ['$E = mc^2$', '\\(E = mc^2\\)', '$$E = mc^2$$', '\\[E = mc^2\\]']) {
      const html = renderMarkdown(source);
      expect(html, source).toContain('class="katex');
      expect(html, source).not.toContain('E = mc^2$');
    }
    expect(renderMarkdown('$$\n\\frac{1}{2}mv^2\n$$')).toContain('katex-display');
  });

  it('leaves money amounts alone', () => {
    expect(renderMarkdown('It costs $5 and $10.')).not.toContain('katex');
  });

  it('shows math errors inline instead of failing', () => {
    expect(renderMarkdown('$\\frac{1}{$')).toContain('katex-error');
    expect(renderMarkdown('$$\n\\frac{1\n')).toContain('katex');
  });

  it('keeps raw HTML as text', () => {
    const html = renderMarkdown('<img src=x onerror=alert(1)> <script>alert(1)</script>');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<script');
    expect(html).toContain('&lt;img');
  });

  it('never links javascript: in any case', () => {
    for (const url of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', ' javascript:alert(1)']) {
      expect(renderMarkdown(`[x](${url})`)).not.toMatch(/href="\s*javascript/i);
    }
  });

  it('replaces remote images with an inert placeholder', () => {
    const html = renderMarkdown('![chart](http://example.com/x.png)');
    expect(html).not.toContain('<img');
    expect(html).toContain('blocked-image');
  });

  it('highlights code and adds a copy button', () => {
    const html = renderMarkdown('```python\nprint("hi")\n```');
    expect(html).toContain('data-copy-code');
    expect(html).toContain('hljs-');
  });

  it('keeps KaTeX from producing links or loading anything (I8)', () => {
    for (const source of [
      '\\href{javascript:alert(1)}{x}',
      '\\url{javascript:alert(1)}',
      '\\includegraphics{http://x/y.png}',
      '\\htmlData{foo=bar}{x}',
    ]) {
      const html = renderMarkdown(`$${source}$`);
      expect(html, source).not.toMatch(/<a |href=|<img|data-foo/);
    }
  });

  it('stays bounded on bombs (I9)', () => {
    renderMarkdown('>'.repeat(50_000) + ' deep');
    renderMarkdown('| a | b |\n|---|---|\n' + '| 1 | 2 |\n'.repeat(10_000));
    const huge = renderMarkdown('x'.repeat(5 * 1024 * 1024));
    renderMarkdown('$' + '\\def\\a{\\a\\a}\\a' + '$');
    renderMarkdown('$\\rule{100000em}{100000em}$');
    renderMarkdown('$' + '{'.repeat(3000) + 'x' + '}'.repeat(3000) + '$');
    expect(huge).toContain('more characters are not shown');
    expect(huge.length).toBeLessThan(300_000);
  });
});
