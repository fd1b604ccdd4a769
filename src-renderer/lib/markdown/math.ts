/**
 * KaTeX with untrusted input (TEST-CATALOG I8): no \href/\url/\includegraphics/\htmlData (trust off),
 * sizes and macro expansion capped, errors shown inline rather than thrown, and oversized sources shown as
 * code instead of being handed to the parser.
 */
import katex from 'katex';
import { escapeHtml } from './escape';

export const maxMathSourceChars = 4000;

export function renderMath(source: string, displayMode: boolean): string {
  if (source.length > maxMathSourceChars) {
    return `<code class="math-too-long" title="Too long to typeset">${escapeHtml(source)}</code>`;
  }
  try {
    return katex.renderToString(source, {
      displayMode,
      throwOnError: false,
      trust: false,
      strict: 'ignore',
      maxSize: 20,
      maxExpand: 500,
      output: 'htmlAndMathml',
    });
  } catch {
    // Deep nesting can exhaust the parser's stack: show the source instead.
    return `<code class="math-error" title="Could not typeset this">${escapeHtml(source)}</code>`;
  }
}
