/**
 * Markdown → HTML for messages and notes: raw HTML off (it shows as text), math through KaTeX, code
 * highlighted with a copy button, remote images replaced by an inert placeholder (no request is made), and
 * nesting capped. The output is still untrusted: it goes through sanitize.ts before reaching the page.
 */
import MarkdownIt from 'markdown-it';
import { escapeHtml } from './escape';
import { highlightCode } from './highlight';
import { renderMath } from './math';
import { mathPlugin } from './math-plugin';

/** Longest text rendered as Markdown; the rest is cut with a note (TEST-CATALOG I9). */
export const maxRenderedChars = 200_000;

const md = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: false, maxNesting: 20 });
mathPlugin(md, renderMath);

md.renderer.rules.fence = (tokens, index) => {
  const token = tokens[index]!;
  const language = token.info.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
  return codeBlock(token.content, language);
};
md.renderer.rules.code_block = (tokens, index) => codeBlock(tokens[index]!.content, '');

md.renderer.rules.image = (tokens, index) => {
  const token = tokens[index]!;
  const source = String(token.attrGet('src') ?? '');
  const alt: string = token.children?.map((child) => child.content).join('') ?? '';
  return `<span class="blocked-image" title="Images from the internet are not loaded: ${escapeHtml(source)}">🖼 ${escapeHtml(alt === '' ? 'image' : alt)}</span>`;
};

// Links are marked for the click handler, which asks before opening them in the system browser.
const defaultLinkOpen =
  md.renderer.rules.link_open ??
  ((tokens, index, options, _env, self) => self.renderToken(tokens, index, options));
md.renderer.rules.link_open = (tokens, index, options, env, self) => {
  tokens[index]!.attrSet('data-external', '');
  tokens[index]!.attrSet('rel', 'noopener noreferrer');
  return defaultLinkOpen(tokens, index, options, env, self);
};

function codeBlock(code: string, language: string): string {
  const label = language ? escapeHtml(language) : 'text';
  return (
    `<div class="code-block"><div class="code-header"><span class="code-language">${label}</span>` +
    `<button type="button" class="code-copy" data-copy-code aria-label="Copy code">Copy</button></div>` +
    `<pre><code class="hljs${language ? ` language-${escapeHtml(language)}` : ''}">${highlightCode(code, language)}</code></pre></div>\n`
  );
}

/**
 * @param references link definitions from elsewhere in the message (a streamed block is rendered alone,
 *   but may use `[label]: url` written after it).
 */
export function renderMarkdown(text: string, references: ReadonlyMap<string, string> = new Map()): string {
  // As markdown-it treats definitions it reads itself: normalised, and dropped unless a safe link.
  const env = {
    references: Object.fromEntries(
      [...references]
        .map(([label, url]) => [md.utils.normalizeReference(label), md.normalizeLink(url)] as const)
        .filter(([, href]) => md.validateLink(href))
        .map(([label, href]) => [label, { href, title: '' }]),
    ),
  };
  if (text.length <= maxRenderedChars) return md.render(text, env);
  const hidden = text.length - maxRenderedChars;
  return (
    md.render(text.slice(0, maxRenderedChars), env) +
    `<p class="truncated">${hidden.toLocaleString('en')} more characters are not shown. Copy or export the message to see it all.</p>`
  );
}
