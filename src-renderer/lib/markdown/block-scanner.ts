/**
 * Finds where Markdown blocks end in text that keeps growing, without rescanning what it has seen: a
 * blank line outside a code fence or a display-math block closes everything before it. The streaming
 * renderer renders each closed block once and re-renders only the open one, so the cost per token does
 * not grow with the answer's length.
 */
export class BlockScanner {
  /** Offset up to which lines have been read (always at a line start). */
  #scanned = 0;
  /** Offset just after the last blank line outside fences and math: everything before it is closed. */
  #closedUpTo = 0;
  #fence: string | null = null;
  #math: '$$' | '\\]' | null = null;
  /** Link reference definitions (`[label]: url`) seen so far: a block may use one defined after it. */
  readonly references = new Map<string, string>();

  get closedUpTo(): number {
    return this.#closedUpTo;
  }

  /** Reads the complete lines of `text` not read yet; returns where closed blocks now end. */
  scan(text: string): number {
    let lineStart = this.#scanned;
    for (let newline = text.indexOf('\n', lineStart); newline >= 0; newline = text.indexOf('\n', lineStart)) {
      this.#line(text.slice(lineStart, newline), newline + 1);
      lineStart = newline + 1;
    }
    this.#scanned = lineStart;
    return this.#closedUpTo;
  }

  #line(line: string, nextLineStart: number): void {
    const trimmed = line.trim();
    if (this.#fence) {
      if (trimmed.startsWith(this.#fence) && trimmed.replace(/[`~]/g, '') === '') this.#fence = null;
      return;
    }
    if (this.#math) {
      if (trimmed.endsWith(this.#math)) this.#math = null;
      return;
    }
    const fence = /^(`{3,}|~{3,})/.exec(trimmed)?.[1];
    if (fence) {
      this.#fence = fence;
      return;
    }
    if (trimmed.startsWith('$$') && !(trimmed.length > 2 && trimmed.endsWith('$$'))) {
      this.#math = '$$';
      return;
    }
    if (trimmed.startsWith('\\[') && !trimmed.endsWith('\\]')) {
      this.#math = '\\]';
      return;
    }
    const reference = parseReference(line);
    if (reference) this.references.set(...reference);
    if (trimmed === '') this.#closedUpTo = nextLineStart;
  }
}

/** A link reference definition line (`[label]: url`), if that is what it is. */
export function parseReference(line: string): [label: string, url: string] | null {
  const match = /^ {0,3}\[([^\]]{1,200})\]:\s*(\S+)/.exec(line);
  return match ? [match[1]!, match[2]!] : null;
}
