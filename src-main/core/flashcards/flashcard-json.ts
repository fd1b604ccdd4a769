/**
 * The model's side of making flashcards: the JSON schema its answer is constrained to, sized to the room
 * the prompt leaves, and reading that answer back into typed cards.
 *
 * Every part of the schema is bounded (how many cards, how long each text, the source as one of the
 * passage numbers) so that the longest answer the grammar allows fits the tokens left in the context,
 * counting a token per character as a byte-level vocabulary may: a model that writes nonsense still
 * finishes a parseable object instead of hitting the token cap. What gets past the grammar is checked
 * again here; what fails is refused (and written again by the answer service), never saved.
 */
import type { GbnfJsonSchema } from 'node-llama-cpp';
import { z } from 'zod';

/** The longest question and answer a card is asked for, and the least worth asking for. */
const fullText = { frontChars: 200, backChars: 400 };
const leastText = { frontChars: 40, backChars: 80 };
/**
 * Tokens a card's fixed parts may take beyond its text: keys, quotes, the source number, and the line
 * breaks and indentation the grammar allows between them. An estimate: a rare answer that is longer
 * runs into the cap and is written again.
 */
const cardStructureTokens = 60;
/** `{"cards": [` … `]}` around the cards. */
const objectTokens = 30;

export interface CardBounds {
  cards: number;
  frontChars: number;
  backChars: number;
}

/** One card at its least size, in tokens: what the answer needs room for at the very least. */
export const leastCardTokens = cardStructureTokens + leastText.frontChars + leastText.backChars;

/** Tokens to keep free for `cards` cards at their least size. */
export function leastAnswerTokens(cards: number): number {
  return objectTokens + cards * leastCardTokens;
}

/**
 * The most cards (up to `wanted`) whose worst case fits `answerTokens`, each text as long as the room
 * then allows (a third for the question, two thirds for the answer); null when not even one card fits.
 */
export function cardBounds(answerTokens: number, wanted: number): CardBounds | null {
  const room = answerTokens - objectTokens;
  const cards = Math.min(wanted, Math.floor(room / leastCardTokens));
  if (cards < 1) return null;
  const text = Math.floor(room / cards) - cardStructureTokens;
  const frontChars = Math.min(fullText.frontChars, Math.floor(text / 3));
  const backChars = Math.min(fullText.backChars, text - frontChars);
  return { cards, frontChars, backChars };
}

/** The worst-case answer length in tokens for these bounds, to set the request's token cap. */
export function cardsMaxTokens(bounds: CardBounds): number {
  return objectTokens + bounds.cards * (cardStructureTokens + bounds.frontChars + bounds.backChars);
}

/** The JSON schema for up to `bounds.cards` cards drawn from `passages` numbered passages. */
export function cardsSchema(bounds: CardBounds, passages: number): GbnfJsonSchema {
  return {
    type: 'object',
    properties: {
      cards: {
        type: 'array',
        minItems: 1,
        maxItems: bounds.cards,
        items: {
          type: 'object',
          properties: {
            front: { type: 'string', minLength: 1, maxLength: bounds.frontChars },
            back: { type: 'string', minLength: 1, maxLength: bounds.backChars },
            source: { enum: Array.from({ length: passages }, (_, index) => index + 1) },
          },
        },
      },
    },
  };
}

export interface GeneratedCard {
  front: string;
  back: string;
  /** The passage it was drawn from, 1-based. */
  source: number;
}

/**
 * Checks a parsed answer against the schema again (the grammar should guarantee it; this proves it) and
 * tidies it: text trimmed and its runs of white space made one space, cards without a question or an
 * answer left out, and a question asked twice kept once. Refuses an answer out of bounds, one citing a
 * passage that was not given, and one with no card left.
 */
export function readCards(value: unknown, bounds: CardBounds, passages: number): GeneratedCard[] {
  const text = (maxChars: number) =>
    z
      .string()
      .max(maxChars)
      .transform((raw) => raw.replace(/\s+/g, ' ').trim());
  const parsed = z
    .strictObject({
      cards: z
        .array(
          z.strictObject({
            front: text(bounds.frontChars),
            back: text(bounds.backChars),
            source: z.int().min(1).max(passages),
          }),
        )
        .min(1)
        .max(bounds.cards),
    })
    .parse(value);
  const seen = new Set<string>();
  const cards = parsed.cards.filter((card) => {
    const question = card.front.toLowerCase();
    if (card.front === '' || card.back === '' || seen.has(question)) return false;
    seen.add(question);
    return true;
  });
  if (cards.length === 0) throw new Error('every card had an empty question or answer');
  return cards;
}

/** The cards as a Markdown list: what the generation's answer ends as, for the conversation and search. */
export function cardsMarkdown(cards: readonly { front: string; back: string }[]): string {
  const count = cards.length === 1 ? '1 flashcard' : `${cards.length} flashcards`;
  return [
    `Made ${count}:`,
    '',
    ...cards.map((card) => `- **${escapeMarkdown(card.front)}** — ${escapeMarkdown(card.back)}`),
  ].join('\n');
}

/** The model's text kept inline: it cannot open a link, an image, code or emphasis that spills over. */
function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>]/g, '\\$&');
}
