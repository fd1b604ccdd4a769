/**
 * Renders a message into an element, incrementally while it streams: closed blocks are rendered once and
 * appended; only the open block at the end is re-rendered on each update (DESIGN section 7). When the text
 * changes other than by growing (another branch, an edit), it starts over.
 */
import { BlockScanner, parseReference } from './block-scanner';
import { renderMarkdown } from './render-markdown';
import { setSanitizedHtml } from './sanitize';

export class MarkdownStream {
  #container: HTMLElement;
  #text = '';
  #scanner = new BlockScanner();
  /** Offset where the rendered closed blocks end and the open tail begins. */
  #rendered = 0;
  #tail: HTMLElement;

  constructor(container: HTMLElement) {
    this.#container = container;
    this.#tail = this.#newTail();
  }

  update(text: string): void {
    if (!text.startsWith(this.#text)) this.#reset();
    this.#text = text;
    const closed = this.#scanner.scan(text);
    // The scanner reads whole lines; a definition on the unfinished last line counts too.
    const lastLine = parseReference(text.slice(text.lastIndexOf('\n') + 1));
    const references = lastLine ? new Map([...this.#scanner.references, lastLine]) : this.#scanner.references;
    if (closed > this.#rendered) {
      const block = document.createElement('div');
      block.className = 'md-blocks';
      setSanitizedHtml(block, renderMarkdown(text.slice(this.#rendered, closed), references));
      this.#container.insertBefore(block, this.#tail);
      this.#rendered = closed;
    }
    setSanitizedHtml(this.#tail, renderMarkdown(text.slice(this.#rendered), references));
  }

  #reset(): void {
    this.#container.replaceChildren();
    this.#text = '';
    this.#scanner = new BlockScanner();
    this.#rendered = 0;
    this.#tail = this.#newTail();
  }

  #newTail(): HTMLElement {
    const tail = document.createElement('div');
    tail.className = 'md-blocks md-tail';
    this.#container.append(tail);
    return tail;
  }
}
