/**
 * The one rule for lines of text, in main and in the renderer alike: `\r\n`, a bare `\r` and `\n` each end
 * a line. The checker numbers lines this way, so everything that shows its findings must split the same
 * way, or a finding lands on the wrong step.
 */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/** A worked solution's steps: its non-empty lines, trimmed, numbered from 1 by the checker. */
export function solutionSteps(text: string): string[] {
  return splitLines(text)
    .map((line) => line.trim())
    .filter(Boolean);
}
