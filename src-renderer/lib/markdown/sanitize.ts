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
  // DOMPurify's own rule with fewer schemes: a value that names a scheme must be http(s) or mailto
  // (javascript:, data:, file:, vbscript: are dropped); values that name none (SVG paths, sizes) pass.
  ALLOWED_URI_REGEXP: /^(?:(?:https?|mailto):|[^a-z]|[a-z+.-]+(?:[^a-z+.\-:]|$))/i,
};

export function sanitizeHtml(html: string): string {
  return purify.sanitize(html, config);
}

/** Replaces an element's content with sanitized HTML. The only `innerHTML` assignment in the renderer. */
export function setSanitizedHtml(element: Element, html: string): void {
  element.innerHTML = sanitizeHtml(html);
}
