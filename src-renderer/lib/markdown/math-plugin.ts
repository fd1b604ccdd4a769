/**
 * Math in Markdown: `$…$` and `\(…\)` inline, `$$…$$` and `\[…\]` as blocks. Runs before markdown-it's
 * escape rule, which would otherwise turn `\(` into `(`. A `$` followed by a space or digit-only money
 * amounts ("$5 and $10") are left as text.
 */
import type { MarkdownIt, StateBlock, StateInline } from 'markdown-it';

type Render = (source: string, displayMode: boolean) => string;

export function mathPlugin(md: MarkdownIt, render: Render): void {
  md.inline.ruler.before('escape', 'math_inline', (state, silent) => inlineMath(state, silent));
  md.block.ruler.before(
    'fence',
    'math_block',
    (state, start, end, silent) => blockMath(state, start, end, silent),
    {
      alt: ['paragraph', 'reference', 'blockquote', 'list'],
    },
  );
  md.renderer.rules.math_inline = (tokens, index) => render(tokens[index]!.content, false);
  md.renderer.rules.math_block = (tokens, index) =>
    `<div class="math-block">${render(tokens[index]!.content, true)}</div>\n`;
}

function inlineMath(state: StateInline, silent: boolean): boolean {
  const { src, pos } = state;
  let open: string;
  let close: string;
  if (src.startsWith('\\(', pos)) {
    open = '\\(';
    close = '\\)';
  } else if (src[pos] === '$' && src[pos + 1] !== '$') {
    open = '$';
    close = '$';
    const next = src[pos + 1];
    if (next === undefined || /\s/.test(next)) return false;
  } else {
    return false;
  }
  const contentStart = pos + open.length;
  let end = src.indexOf(close, contentStart);
  // A `$` that is escaped does not close.
  while (end > 0 && src[end - 1] === '\\') end = src.indexOf(close, end + 1);
  if (end < 0 || end === contentStart) return false;
  if (close === '$') {
    if (/\s/.test(src[end - 1]!)) return false;
    const after = src[end + 1];
    if (after !== undefined && /\d/.test(after)) return false;
  }
  if (!silent) {
    const token = state.push('math_inline', 'math', 0);
    token.content = src.slice(contentStart, end);
    token.markup = open;
  }
  state.pos = end + close.length;
  return true;
}

function blockMath(state: StateBlock, startLine: number, endLine: number, silent: boolean): boolean {
  const lineStart = state.bMarks[startLine]! + state.tShift[startLine]!;
  const lineEnd = state.eMarks[startLine]!;
  const first = state.src.slice(lineStart, lineEnd);
  const open = first.startsWith('$$') ? '$$' : first.startsWith('\\[') ? '\\[' : null;
  if (!open || state.sCount[startLine]! - state.blkIndent >= 4) return false;
  const close = open === '$$' ? '$$' : '\\]';
  if (silent) return true;

  let content: string;
  let line = startLine;
  const rest = first.slice(open.length);
  const closeOnFirst = rest.trimEnd().endsWith(close) && rest.trimEnd().length >= close.length;
  if (closeOnFirst) {
    content = rest.trimEnd().slice(0, -close.length);
  } else {
    const lines = [rest];
    let closed = false;
    while (++line < endLine) {
      const text = state.src.slice(state.bMarks[line]! + state.tShift[line]!, state.eMarks[line]);
      if (text.trimEnd().endsWith(close)) {
        lines.push(text.trimEnd().slice(0, -close.length));
        closed = true;
        break;
      }
      lines.push(text);
    }
    // Unclosed (an answer still streaming): everything to the end is the formula so far.
    if (!closed) line = endLine - 1;
    content = lines.join('\n');
  }
  const token = state.push('math_block', 'math', 0);
  token.block = true;
  token.content = content.trim();
  token.map = [startLine, line + 1];
  token.markup = open;
  state.line = line + 1;
  return true;
}
