/**
 * Finds the math in a line of prose and its `=` chains: `so v = √(2gh) = 28.0 m/s at the bottom` → one chain
 * with the sides `v`, `√(2gh)`, `28.0 m/s`. Words end the math; so do `,` `;` `:` `.` and `→`.
 */
import { isFunctionName } from './functions';
import { normalizeNotation } from './normalize-notation';
import { type NameToken, type Token, tokenize } from './tokenize';
import { isUnitWord } from './units';

export interface Side {
  tokens: Token[];
  /** The side as written (normalized notation), for messages: "√(2·9.81·40)". */
  text: string;
}

export interface Chain {
  sides: Side[];
  /** approx[i]: the sign between side i and i+1 is `≈`. */
  approx: boolean[];
  /** The chain began with `=` (its left side was prose or missing), so it defines nothing. */
  leadingEquals: boolean;
}

/** Line furniture before the math: Markdown headings, quotes, list markers, "Step 3:", "1.", "(a)". */
const prefixPatterns = [
  /^\s{0,3}#{1,6}\s+/,
  /^\s*(?:>\s*)+/,
  /^\s*(?:[-*+•]|\d{1,3}[.)]|\(?[a-hA-H]\)|\(\d{1,3}\))\s+/,
  /^\s*(?:step|part)\s*\d+[a-z]?\s*[:.)-]?\s*/i,
];

export function stripLinePrefix(line: string): string {
  let text = line;
  for (let changed = true; changed;) {
    changed = false;
    for (const pattern of prefixPatterns) {
      const next = text.replace(pattern, '');
      if (next !== text) {
        text = next;
        changed = true;
      }
    }
  }
  return text;
}

/**
 * English words that are also short enough to look like symbols. One letter is never a word here: `a` is
 * an acceleration far more often than an article in a worked solution.
 */
const stopWords = new Set(
  (
    'so is it its if in on at as an and or of to the be by we us me my no not do does did up go he she his her our ' +
    'you your all any are was were has had have for from with then than that this these those there here thus ' +
    'hence therefore get gets got give gives given use used using let now one two three per via but can may will ' +
    'also each both find where when which what how why who into onto out off over same must should would could ' +
    'just only about after before since because yes see put set top end net box car new old way day too say own ' +
    'few far low big add sum act ago air ask bad cut fix fly gap hot key lab lot man mix odd pay run sat saw sea ' +
    'sit six ten try yet ok vs eg ie cf am its let plug sub new why'
  ).split(' '),
);

function isOperatorLike(token: Token | undefined): boolean {
  return token === undefined || token.t === 'op' || token.t === 'eq' || token.t === 'sep';
}

/** Whether a name token is a word of prose rather than math. */
function isProse(tokens: Token[], i: number, known: (name: string) => boolean): boolean {
  const token = tokens[i] as NameToken;
  const text = token.text;
  if (token.sub || !/^[A-Za-z]+$/.test(text)) return false;
  if (known(text)) return false;
  if (text.length > 1 && stopWords.has(text.toLowerCase())) {
    // `v = v_0 + at`, `1/2at^2`: a word between operators, glued to a number or raised to a power is math.
    const before = tokens[i - 1];
    const after = tokens[i + 1];
    const between = before !== undefined && (before.t === 'op' || before.t === 'eq') && isOperatorLike(after);
    const glued = before?.t === 'num' && before.end === token.start;
    const raised = after?.t === 'op' && after.op === '^';
    return !(between || glued || raised);
  }
  if (text.length <= 3) return false;
  if (isFunctionName(text) || isUnitWord(text)) return false;
  return ![...text].every((c) => known(c));
}

function isOp(token: Token | undefined, ...ops: string[]): boolean {
  return token?.t === 'op' && ops.includes(token.op);
}

/** Drops what cannot start or end a piece of math: dangling operators and unmatched parentheses. */
function trim(tokens: Token[]): Token[] {
  let run = tokens;
  for (let changed = true; changed && run.length > 0;) {
    changed = false;
    const first = run[0];
    const last = run.at(-1);
    if (isOp(first, '*', '/', '^', ')', '+')) {
      run = run.slice(1);
      changed = true;
    } else if (isOp(last, '+', '-', '*', '/', '^', '(', '√', '∛')) {
      run = run.slice(0, -1);
      changed = true;
    } else if (isOp(first, '(') && depthAfter(run) > 0) {
      run = run.slice(1);
      changed = true;
    } else if (isOp(last, ')') && depthAfter(run) < 0) {
      run = run.slice(0, -1);
      changed = true;
    }
  }
  return run;
}

function depthAfter(tokens: Token[]): number {
  let depth = 0;
  for (const t of tokens) {
    if (isOp(t, '(')) depth++;
    else if (isOp(t, ')')) depth--;
  }
  return depth;
}

function sideText(normalized: string, tokens: Token[]): string {
  const first = tokens[0];
  const last = tokens.at(-1);
  if (!first || !last) return '';
  return normalized
    .slice(first.start, last.end)
    .replace(/\^\((-?[\w.]+)\)/g, '^$1')
    .replace(/\s*[*×]\s*/g, '·')
    .replace(/\s*·\s*/g, '·')
    .replace(/\s+/g, ' ')
    .replace(/(?<=[\dπ]) (?=[√π])|(?<=π) (?=[\w√])/g, '')
    .trim();
}

function toChain(normalized: string, run: Token[]): Chain | null {
  const tokens = trim(run);
  if (!tokens.some((t) => t.t === 'eq')) return null;
  const groups: Token[][] = [[]];
  const approx: boolean[] = [];
  for (const token of tokens) {
    if (token.t === 'eq') {
      groups.push([]);
      approx.push(token.approx);
    } else groups.at(-1)?.push(token);
  }
  // Sides left empty by prose (`Energy is conserved, so = …`) or a doubled sign are dropped.
  const sides: Side[] = [];
  const signs: boolean[] = [];
  let pendingApprox = false;
  groups.forEach((group, k) => {
    if (k > 0) pendingApprox ||= approx[k - 1] ?? false;
    // Inside a run nothing is trimmed: `5 + = 7` and `F = (3, 4) N` are broken, not `5 = 7` or `F = 3`.
    const side = group;
    if (side.length === 0) return;
    if (sides.length > 0) signs.push(pendingApprox);
    pendingApprox = false;
    sides.push({ tokens: side, text: sideText(normalized, side) });
  });
  if (sides.length < 2) return null;
  return { sides, approx: signs, leadingEquals: trim(groups[0] ?? []).length === 0 };
}

/** The normalized line and its `=` chains, left to right. `known` tells which names are defined symbols. */
export function extractChains(
  line: string,
  known: (name: string) => boolean,
): { normalized: string; chains: Chain[] } {
  const normalized = stripLinePrefix(normalizeNotation(line));
  const tokens = tokenize(normalized);
  const runs: Token[][] = [[]];
  tokens.forEach((token, i) => {
    const prose = token.t === 'sep' || (token.t === 'id' && isProse(tokens, i, known));
    if (prose) runs.push([]);
    else runs.at(-1)?.push(token);
  });
  const chains: Chain[] = [];
  for (const run of runs) {
    const chain = toChain(normalized, run);
    if (chain) chains.push(chain);
  }
  return { normalized, chains };
}
