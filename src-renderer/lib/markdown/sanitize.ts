/**
 * The one audited place where HTML reaches the page (DESIGN section 6). Everything shown from model
 * output or notes passes through DOMPurify here, even though the Markdown renderer makes no raw HTML: a
 * second, independent line of defence (TEST-CATALOG I6–I8).
 */
import DOMPurify from 'dompurify';

const purify = DOMPurify(window);

const config = {
  // KaTeX needs HTML, MathML and its SVG; nothing here loads or runs anything.
  USE_PROFILES: { html: true, mathMl: true, svg: true },
  FORBID_TAGS: [
    'img',
    'image',
    'style',
    'script',
    'iframe',
    'frame',
    'object',
    'embed',
    'form',
    'input',
    'meta',
    'link',
    'base',
    'video',
    'audio',
    'source',
    'foreignObject',
  ],
  FORBID_ATTR: ['srcset', 'action', 'formaction', 'xlink:href', 'background', 'ping'],
  ALLOW_DATA_ATTR: true,
  // Only web and mail links; everything else (javascript:, data:, file:, vbscript:) is dropped.
  ALLOWED_URI_REGEXP: /^(?:https?:|mailto:|#)/i,
};

export function sanitizeHtml(html: string): string {
  return purify.sanitize(html, config);
}

/** Replaces an element's content with sanitized HTML. The only `innerHTML` assignment in the renderer. */
export function setSanitizedHtml(element: Element, html: string): void {
  element.innerHTML = sanitizeHtml(html);
}
