/** Splits a search snippet at its highlight markers (U+E000 … U+E001) into plain and marked parts. */
export function highlightedParts(snippet: string): { text: string; marked: boolean }[] {
  const parts: { text: string; marked: boolean }[] = [];
  for (const [index, piece] of snippet.split(/[\uE000\uE001]/).entries()) {
    if (piece) parts.push({ text: piece, marked: index % 2 === 1 });
  }
  return parts;
}
