/** Code highlighting for the languages people ask about most; anything else is shown plain. */
import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import c from 'highlight.js/lib/languages/c';
import cpp from 'highlight.js/lib/languages/cpp';
import css from 'highlight.js/lib/languages/css';
import java from 'highlight.js/lib/languages/java';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import latex from 'highlight.js/lib/languages/latex';
import markdown from 'highlight.js/lib/languages/markdown';
import python from 'highlight.js/lib/languages/python';
import rust from 'highlight.js/lib/languages/rust';
import sql from 'highlight.js/lib/languages/sql';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import { escapeHtml } from './escape';

const languages = {
  bash,
  c,
  cpp,
  css,
  java,
  javascript,
  json,
  latex,
  markdown,
  python,
  rust,
  sql,
  typescript,
  xml,
};
for (const [name, definition] of Object.entries(languages)) hljs.registerLanguage(name, definition);

/** Long blocks are shown plain: highlighting is the slow part and adds little there. */
const maxHighlightedChars = 20_000;

export function highlightCode(code: string, language: string): string {
  const known = language && hljs.getLanguage(language) ? language : null;
  if (!known || code.length > maxHighlightedChars) return escapeHtml(code);
  return hljs.highlight(code, { language: known, ignoreIllegals: true }).value;
}
