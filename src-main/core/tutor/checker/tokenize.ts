/**
 * Splits a normalized line into tokens: numbers (with the digits as written, for significant figures), names,
 * unit signs, operators, `=`/`≈`, and separators (anything that ends a piece of math: `,` `;` `:` `→` `.`).
 */
import { isUnitWord } from './units';
import { spelledGreek } from './normalize-notation';

export interface NumberToken {
  t: 'num';
  value: number;
  /** Digits of the mantissa as written ("28.0", "3.0"), for significant figures. */
  mantissa: string;
  /** Power of ten written after the mantissa (`3.0e8`, `3.0 × 10^8`), 0 if none. */
  exp: number;
  start: number;
  end: number;
}

export interface NameToken {
  t: 'id';
  /** The name without its subscript: "v", "mgh", "KE", "θ", "Δx", "kg", "°C", "%", "kΩ". */
  text: string;
  /** Subscript ("0" in `v_0`, "net" in `F_net`), "" if none. */
  sub: string;
  start: number;
  end: number;
}

export type Operator = '+' | '-' | '*' | '/' | '^' | '(' | ')' | '√' | '∛';

export interface OperatorToken {
  t: 'op';
  op: Operator;
  start: number;
  end: number;
}

export interface EqualsToken {
  t: 'eq';
  approx: boolean;
  start: number;
  end: number;
}

export interface SeparatorToken {
  t: 'sep';
  text: string;
  start: number;
  end: number;
}

export type Token = NumberToken | NameToken | OperatorToken | EqualsToken | SeparatorToken;

export function fullName(token: NameToken): string {
  return token.sub ? `${token.text}_${token.sub}` : token.text;
}

const GREEK = 'α-ωΑ-ΩϑϕϵΔ';
const greekChar = new RegExp(`^[${GREEK}]`);
const numberPattern =
  /^(?:[1-9]\d{0,2}(?:,\d{3})+(?![\d,])|\d+)(?:\.\d+)?(?:[eE][+-]?\d+)?|^\.\d+(?:[eE][+-]?\d+)?/;
const operators: Record<string, Operator> = {
  '+': '+',
  '-': '-',
  '*': '*',
  '·': '*',
  '×': '*',
  '/': '/',
  '^': '^',
  '(': '(',
  ')': ')',
  '√': '√',
  '∛': '∛',
};

/** Units written with a sign (`°C`, `kΩ`, `μF`, `%`) that the name reader would otherwise split. */
function unitSignAt(text: string, i: number): string | null {
  for (const candidate of [text.slice(i, i + 3), text.slice(i, i + 2), text.slice(i, i + 1)]) {
    if (!/[°%Ωμ]/.test(candidate)) continue;
    if (isUnitWord(candidate) && !/[A-Za-z]/.test(text[i + candidate.length] ?? '')) return candidate;
  }
  return null;
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i] ?? '';
    if (ch === ' ' || ch === '\n' || ch === '\r') {
      i++;
      continue;
    }
    const rest = text.slice(i);
    const prev = text[i - 1] ?? '';
    // A dot right after a name or number is punctuation ("40 m."), not the start of ".5".
    const num = ch === '.' && /[A-Za-z\d]/.test(prev) ? null : numberPattern.exec(rest);
    if (num) {
      const raw = num[0];
      const [mantissaRaw = raw, expText] = raw.split(/[eE]/);
      const mantissa = mantissaRaw.replace(/,/g, '');
      const exp = expText === undefined ? 0 : Number(expText);
      tokens.push({
        t: 'num',
        value: Number(mantissa) * 10 ** exp,
        mantissa,
        exp,
        start: i,
        end: i + raw.length,
      });
      i += raw.length;
      continue;
    }
    const sign = unitSignAt(text, i);
    if (sign) {
      tokens.push({ t: 'id', text: sign, sub: '', start: i, end: i + sign.length });
      i += sign.length;
      continue;
    }
    if (/[A-Za-z]/.test(ch) || greekChar.test(ch)) {
      i = readName(text, i, tokens);
      continue;
    }
    const op = operators[ch];
    if (op) {
      tokens.push({ t: 'op', op, start: i, end: i + 1 });
      i++;
      continue;
    }
    if (ch === '=' || ch === '≈') {
      // `==` reads as one equals sign.
      const end = text[i + 1] === '=' ? i + 2 : i + 1;
      tokens.push({ t: 'eq', approx: ch === '≈', start: i, end });
      i = end;
      continue;
    }
    tokens.push({ t: 'sep', text: ch, start: i, end: i + 1 });
    i++;
  }
  return mergeScientific(timesSigns(tokens));
}

/** `9.8 x 3`: an x between two numbers is a times sign. */
function timesSigns(tokens: Token[]): Token[] {
  return tokens.map((token, i) => {
    const before = tokens[i - 1];
    const after = tokens[i + 1];
    const isX = token.t === 'id' && token.text === 'x' && !token.sub;
    const numberAfter = after?.t === 'num' || (after?.t === 'op' && after.op === '(');
    return isX && before?.t === 'num' && numberAfter
      ? { t: 'op', op: '*', start: token.start, end: token.end }
      : token;
  });
}

/** Reads a name at `i`: a run of Latin letters, or one Greek letter, `Δ` + name, with a subscript. */
function readName(text: string, start: number, tokens: Token[]): number {
  let i = start;
  let name: string;
  const ch = text[i] ?? '';
  if (ch === 'Δ' || ch === 'δ') {
    // Δx, ΔKE, Δ v: the difference sign belongs to the name after it.
    let j = i + 1;
    while (text[j] === ' ') j++;
    const after = /^[A-Za-z]+|^[α-ωΑ-Ω]/.exec(text.slice(j));
    if (after) {
      name = `Δ${after[0]}`;
      i = j + after[0].length;
    } else {
      name = ch;
      i++;
    }
  } else if (greekChar.test(ch)) {
    name = ch;
    i++;
  } else {
    const run = /^[A-Za-z]+/.exec(text.slice(i))?.[0] ?? ch;
    name = spelledGreek[run] ?? run;
    i += run.length;
  }
  let sub = '';
  const subMatch =
    /^_(?:\(([A-Za-z0-9]+)\)|([A-Za-z0-9]+))/.exec(text.slice(i)) ?? /^()(\d+)(?![\d.])/.exec(text.slice(i));
  const subText = subMatch?.[1] || subMatch?.[2];
  if (subMatch && subText) {
    sub = subText;
    i += subMatch[0].length;
  }
  tokens.push({ t: 'id', text: name, sub, start, end: i });
  return i;
}

/** `3.0 × 10^8`, `3 \times 10^{8}`, `2.5·10^-3` → one number with its mantissa kept for significant figures. */
function mergeScientific(tokens: Token[]): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const mantissa = tokens[i];
    const times = tokens[i + 1];
    const ten = tokens[i + 2];
    const caret = tokens[i + 3];
    const isTimes = times?.t === 'op' && times.op === '*';
    if (
      mantissa?.t === 'num' &&
      mantissa.exp === 0 &&
      isTimes &&
      ten?.t === 'num' &&
      ten.mantissa === '10' &&
      caret?.t === 'op' &&
      caret.op === '^'
    ) {
      const power = readPower(tokens, i + 4);
      if (power) {
        out.push({
          t: 'num',
          value: mantissa.value * 10 ** power.value,
          mantissa: mantissa.mantissa,
          exp: power.value,
          start: mantissa.start,
          end: power.end,
        });
        i = power.next - 1;
        continue;
      }
    }
    if (mantissa) out.push(mantissa);
  }
  return out;
}

/** An integer exponent at `i`: `8`, `-3`, `(8)`, `(-3)`. */
function readPower(tokens: Token[], i: number): { value: number; next: number; end: number } | null {
  let j = i;
  const paren = tokens[j]?.t === 'op' && (tokens[j] as OperatorToken).op === '(';
  if (paren) j++;
  let sign = 1;
  const signToken = tokens[j];
  if (signToken?.t === 'op' && (signToken.op === '-' || signToken.op === '+')) {
    if (signToken.op === '-') sign = -1;
    j++;
  }
  const digits = tokens[j];
  if (digits?.t !== 'num' || digits.exp !== 0 || !/^\d+$/.test(digits.mantissa)) return null;
  j++;
  if (paren) {
    const close = tokens[j];
    if (close?.t !== 'op' || close.op !== ')') return null;
    return { value: sign * digits.value, next: j + 1, end: close.end };
  }
  return { value: sign * digits.value, next: j, end: digits.end };
}
