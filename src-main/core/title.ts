/** Titles made from what a person typed: the first line, shortened with an ellipsis. */
export function titleFromText(text: string, maxChars = 60): string {
  const line = (text.trim().split(/\r\n|\r|\n/)[0] ?? '').trim();
  return line.length > maxChars ? `${line.slice(0, maxChars - 1).trimEnd()}…` : line;
}
