import type { Engine } from './engine';

/**
 * Token counts for texts known in advance, asked of the engine in one call (it may be in another process),
 * then read without asking again. Reading a text that was not counted is a mistake in the caller.
 */
export async function countedTokens(
  engine: Pick<Engine, 'countTokens'>,
  texts: readonly string[],
): Promise<(text: string) => number> {
  const unique = [...new Set(texts)];
  const counts = await engine.countTokens(unique);
  const table = new Map(unique.map((text, i) => [text, counts[i]!]));
  return (text) => {
    const count = table.get(text);
    if (count === undefined) throw new Error(`Not counted beforehand: "${text.slice(0, 40)}…"`);
    return count;
  };
}
