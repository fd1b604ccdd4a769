/**
 * Parses one side of an equation into a tree, deciding for every name whether it is a unit, a symbol or a
 * function. mathjs's own parser cannot do this for handwritten physics: it reads `gH` as one symbol and `m`
 * as metres even when `m` is a mass.
 *
 * The rules:
 * - A unit can only follow a number (`40 m`, `9.81 m/s^2`, `(1/2) kg`); elsewhere a name is a symbol.
 * - A unit ends a product: in `2 m g h` the `m` is a symbol, in `40 m` or `40 m · g` it is metres.
 * - A name that is both a defined symbol and a unit after a number (`m` defined as 70 kg, then `40 m`) is
 *   ambiguous: read as the unit first, and the caller may re-parse with `prefer: 'symbol'`.
 * - `g` is grams only after a number, when the line is about masses (`m = 500 g`, `… = 0.5 kg`); otherwise it
 *   is the symbol g (defined or not).
 * - A run of letters that is not a known name (`mgh`, `gH`) splits into single letters when any of them is a
 *   defined symbol; `2gH` is 2·g·H.
 * - Implicit multiplication binds tighter than `/` (`v^2/2g` is v²/(2g)), except after a plain fraction of
 *   numbers (`1/2 m v^2` is ½·m·v²), as in mathjs.
 */
import { type FunctionName, functionNamed } from './functions';
import { fullName, type NameToken, type NumberToken, type Token } from './tokenize';
import { canonicalParts, isUnitWord, lookupUnit, type UnitPart, type UnitSpec } from './units';

export type Node =
  | { k: 'num'; token: NumberToken }
  | { k: 'unit'; spec: UnitSpec }
  | { k: 'sym'; name: string }
  | { k: 'pi' }
  | { k: 'neg'; x: Node }
  | { k: 'bin'; op: '+' | '-' | '*' | '/' | '^'; a: Node; b: Node }
  | { k: 'call'; fn: FunctionName; x: Node };

export interface ParseContext {
  isDefined(name: string): boolean;
  /** How to read a defined symbol that is also a unit, after a number. */
  prefer: 'unit' | 'symbol';
  /** Whether `g` after a number may be grams. */
  gramAllowed: boolean;
  /** Also read unit names mathjs knows beyond the solution list (unit strings from code). */
  permissiveUnits?: boolean;
}

export interface ParseResult {
  node: Node;
  /** A defined symbol was read as a unit: a re-parse with `prefer: 'symbol'` may read the side better. */
  ambiguous: boolean;
}

export class ParseError extends Error {}

/** Unit signs that are units wherever they stand. */
function isUnitSign(text: string): boolean {
  return /[°%Ωμ]/.test(text) && isUnitWord(text);
}

function isOp(token: Token | undefined, op: string): boolean {
  return token?.t === 'op' && token.op === op;
}

function startsFactor(token: Token | undefined): boolean {
  if (!token) return false;
  if (token.t === 'num' || token.t === 'id') return true;
  return token.t === 'op' && (token.op === '(' || token.op === '√' || token.op === '∛');
}

/** Contains no symbol: a number, or an expression of numbers, that a unit may follow. */
export function isNumeric(node: Node): boolean {
  switch (node.k) {
    case 'num':
    case 'unit':
    case 'pi':
      return true;
    case 'sym':
      return false;
    case 'neg':
    case 'call':
      return isNumeric(node.x);
    case 'bin':
      return isNumeric(node.a) && isNumeric(node.b);
  }
}

function product(factors: Node[]): Node {
  const [first, ...rest] = factors;
  if (!first) throw new ParseError('empty product');
  return rest.reduce<Node>((a, b) => ({ k: 'bin', op: '*', a, b }), first);
}

class Parser {
  private pos = 0;
  private depth = 0;
  ambiguous = false;
  private readonly tokens: Token[];

  constructor(
    tokens: readonly Token[],
    private readonly ctx: ParseContext,
  ) {
    this.tokens = [...tokens];
  }

  parse(): Node {
    if (this.tokens.length === 0) throw new ParseError('nothing to read');
    const node = this.expr();
    if (this.pos < this.tokens.length) throw new ParseError('unexpected text');
    return node;
  }

  /** The whole input as one unit, or null. */
  unitOnly(): UnitSpec | null {
    if (this.tokens.length === 0) return [];
    const spec = this.unitExpression();
    return spec && this.pos === this.tokens.length ? spec : null;
  }

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private expr(): Node {
    // Deep nesting is not a solution anyone writes; stop before the stack does.
    if (++this.depth > 100) throw new ParseError('too deeply nested');
    let a = this.term();
    for (let t = this.peek(); isOp(t, '+') || isOp(t, '-'); t = this.peek()) {
      this.pos++;
      a = { k: 'bin', op: isOp(t, '+') ? '+' : '-', a, b: this.term() };
    }
    this.depth--;
    return a;
  }

  private term(): Node {
    let a = product(this.factors());
    for (let t = this.peek(); isOp(t, '*') || isOp(t, '/'); t = this.peek()) {
      this.pos++;
      const factors = this.factors();
      const [head, ...rest] = factors;
      if (isOp(t, '/') && a.k === 'num' && head?.k === 'num' && rest.length > 0 && rest[0]?.k !== 'unit') {
        // `1/2 m v^2`: a fraction of two numbers, then the rest of the product.
        a = { k: 'bin', op: '*', a: { k: 'bin', op: '/', a, b: head }, b: product(rest) };
      } else {
        a = { k: 'bin', op: isOp(t, '*') ? '*' : '/', a, b: product(factors) };
      }
    }
    return a;
  }

  /** Factors written side by side: `2 g H`, `9.81 m/s^2`, `2(3)`. */
  private factors(): Node[] {
    const factors = [this.unary()];
    while (startsFactor(this.peek())) {
      const last = factors.at(-1);
      if (last && isNumeric(last) && this.peek()?.t === 'id') {
        const unit = this.tryUnit();
        if (unit) {
          factors.push(unit);
          continue;
        }
      }
      // Two numbers side by side ("27 468") are not a product anyone writes.
      if (this.peek()?.t === 'num' && this.tokens[this.pos - 1]?.t === 'num')
        throw new ParseError('two numbers');
      factors.push(this.power());
    }
    return factors;
  }

  private unary(): Node {
    const t = this.peek();
    if (isOp(t, '-')) {
      this.pos++;
      return { k: 'neg', x: this.unary() };
    }
    if (isOp(t, '+')) {
      this.pos++;
      return this.unary();
    }
    return this.power();
  }

  private power(): Node {
    const base = this.primary();
    if (!isOp(this.peek(), '^')) return base;
    this.pos++;
    return { k: 'bin', op: '^', a: base, b: this.exponent() };
  }

  /** An exponent: a signed primary, right-associative (`2^3^2`), no implicit products or units. */
  private exponent(): Node {
    const t = this.peek();
    if (isOp(t, '-')) {
      this.pos++;
      return { k: 'neg', x: this.exponent() };
    }
    if (isOp(t, '+')) {
      this.pos++;
      return this.exponent();
    }
    const base = this.primary();
    if (!isOp(this.peek(), '^')) return base;
    this.pos++;
    return { k: 'bin', op: '^', a: base, b: this.exponent() };
  }

  private primary(): Node {
    const t = this.peek();
    if (!t) throw new ParseError('unexpected end');
    this.pos++;
    if (t.t === 'num') return { k: 'num', token: t };
    if (isOp(t, '(')) {
      const inner = this.expr();
      if (!isOp(this.peek(), ')')) throw new ParseError('missing )');
      this.pos++;
      return inner;
    }
    if (isOp(t, '√') || isOp(t, '∛'))
      return { k: 'call', fn: isOp(t, '√') ? 'sqrt' : 'cbrt', x: this.radicand() };
    if (t.t === 'id') return this.name(t);
    throw new ParseError('unexpected sign');
  }

  /** After `√`: a parenthesized expression, or the factors written right after it (`√784.8`, `√2gh`). */
  private radicand(): Node {
    if (isOp(this.peek(), '(')) return this.primary();
    const factors = [this.power()];
    while (startsFactor(this.peek()) && !isOp(this.peek(), '(')) {
      const last = factors.at(-1);
      if (last && isNumeric(last) && this.peek()?.t === 'id') {
        const save = this.pos;
        const unit = this.tryUnit();
        this.pos = save;
        if (unit) break; // `√784.8 m/s`: the unit belongs to the result
      }
      if (this.peek()?.t === 'num') break;
      factors.push(this.power());
    }
    return product(factors);
  }

  private name(t: NameToken): Node {
    const name = fullName(t);
    if (isUnitSign(t.text)) {
      this.pos--;
      const spec = this.unitExpression();
      if (!spec) throw new ParseError('unit');
      return { k: 'unit', spec };
    }
    if (this.ctx.isDefined(name)) return { k: 'sym', name };
    if (!t.sub) {
      const fn = functionNamed(t.text);
      if (fn) return { k: 'call', fn, x: this.functionArgument() };
      if (t.text === 'π') return { k: 'pi' };
    }
    if (t.text.length === 1 || !/^[A-Za-z]+$/.test(t.text)) return { k: 'sym', name };
    return this.splitName(t);
  }

  /** `mgh` → m·g·h when any of the letters (or a longer defined prefix) is a defined symbol. */
  private splitName(t: NameToken): Node {
    const pieces: string[] = [];
    let rest = t.text;
    while (rest) {
      let piece = rest[0] ?? '';
      // Defined names of several letters are short (`KE`, `PE`): only short prefixes are tried.
      for (let len = Math.min(rest.length - 1, 4); len > 1; len--) {
        if (this.ctx.isDefined(rest.slice(0, len))) {
          piece = rest.slice(0, len);
          break;
        }
      }
      pieces.push(piece);
      rest = rest.slice(piece.length);
    }
    const lastIsDefined = this.ctx.isDefined(t.sub ? `${pieces.at(-1)}_${t.sub}` : (pieces.at(-1) ?? ''));
    const anyDefined = lastIsDefined || pieces.slice(0, -1).some((p) => this.ctx.isDefined(p));
    // `KE`, `PE`, `GPE`: a name of its own, kept whole when none of its letters means anything yet.
    if (!anyDefined && t.text.length <= 3 && /[A-Z]/.test(t.text)) return { k: 'sym', name: fullName(t) };
    const tokens: NameToken[] = pieces.map((text, i) => ({
      t: 'id',
      text,
      sub: i === pieces.length - 1 ? t.sub : '',
      start: t.start,
      end: t.end,
    }));
    const [first, ...others] = tokens;
    if (!first) throw new ParseError('empty name');
    this.tokens.splice(this.pos, 0, ...others);
    return { k: 'sym', name: fullName(first) };
  }

  /** `sin(30°)`, `sin 30°`, `cos θ`. */
  private functionArgument(): Node {
    if (isOp(this.peek(), '(')) return this.primary();
    const x = this.power();
    if (isNumeric(x) && this.peek()?.t === 'id') {
      const unit = this.tryUnit();
      if (unit) return { k: 'bin', op: '*', a: x, b: unit };
    }
    return x;
  }

  /** Reads a unit here if one stands here and ends the product; otherwise reads nothing. */
  private tryUnit(): Node | null {
    const save = this.pos;
    const first = this.peek();
    const spec = this.unitExpression();
    const next = this.peek();
    // A letter unit ends a product: `2 m g h` is not "2 metres times g h".
    const signOnly = first?.t === 'id' && isUnitSign(first.text);
    if (!spec || (!signOnly && next?.t === 'id')) {
      this.pos = save;
      return null;
    }
    return { k: 'unit', spec };
  }

  /** `m/s^2`, `kg·m/s`, `J/(kg K)`, `m s^-1`: unit factors joined by `·`, `/` or a space. */
  private unitExpression(): UnitPart[] | null {
    const first = this.unitFactor(1);
    if (!first) return null;
    const parts = [...first];
    for (;;) {
      const save = this.pos;
      const t = this.peek();
      let factor: UnitPart[] | null = null;
      if (isOp(t, '/') || isOp(t, '*')) {
        this.pos++;
        factor = this.unitFactor(isOp(t, '/') ? -1 : 1);
      } else if (t?.t === 'id') {
        factor = this.unitFactor(1);
      }
      if (!factor) {
        this.pos = save;
        return parts;
      }
      parts.push(...factor);
    }
  }

  private unitFactor(sign: number): UnitPart[] | null {
    const save = this.pos;
    const t = this.peek();
    if (isOp(t, '(')) {
      this.pos++;
      const inner = this.unitExpression();
      if (!inner || !isOp(this.peek(), ')')) {
        this.pos = save;
        return null;
      }
      this.pos++;
      const power = this.unitPower();
      return inner.map((p) => ({ name: p.name, power: p.power * power * sign }));
    }
    if (t?.t !== 'id' || t.sub) return null;
    const canonical = this.unitName(t);
    if (!canonical) return null;
    this.pos++;
    return canonicalParts(canonical, this.unitPower() * sign);
  }

  /** `^2`, `^-1`, `^(-2)` after a unit; 1 if none. */
  private unitPower(): number {
    if (!isOp(this.peek(), '^')) return 1;
    const save = this.pos;
    this.pos++;
    const paren = isOp(this.peek(), '(');
    if (paren) this.pos++;
    let sign = 1;
    if (isOp(this.peek(), '-') || isOp(this.peek(), '+')) {
      if (isOp(this.peek(), '-')) sign = -1;
      this.pos++;
    }
    const n = this.peek();
    if (n?.t !== 'num' || n.exp !== 0) {
      this.pos = save;
      return 1;
    }
    this.pos++;
    if (paren) {
      if (!isOp(this.peek(), ')')) {
        this.pos = save;
        return 1;
      }
      this.pos++;
    }
    return sign * n.value;
  }

  private unitName(t: NameToken): string | null {
    const canonical = lookupUnit(t.text, this.ctx.permissiveUnits);
    if (!canonical) return null;
    if (isUnitSign(t.text)) return canonical;
    const defined = this.ctx.isDefined(t.text);
    if (t.text === 'g' && !this.ctx.gramAllowed) return null;
    if (defined) {
      this.ambiguous = true;
      if (this.ctx.prefer === 'symbol') return null;
    }
    return canonical;
  }
}

export function parseSide(tokens: readonly Token[], ctx: ParseContext): ParseResult {
  const parser = new Parser(tokens, ctx);
  const node = parser.parse();
  return { node, ambiguous: parser.ambiguous };
}

/** A side written as a plain number with an optional unit: `28.0 m/s`, `-9.81 m/s^2`, `25%`, `3.0e8`. */
export function writtenNumber(
  node: Node,
): { token: NumberToken; sign: number; spec: UnitSpec | null } | null {
  let sign = 1;
  let n = node;
  if (n.k === 'neg') {
    sign = -1;
    n = n.x;
  }
  if (n.k === 'num') return { token: n.token, sign, spec: null };
  if (n.k !== 'bin' || n.op !== '*' || n.b.k !== 'unit') return null;
  let a = n.a;
  if (a.k === 'neg') {
    sign = -sign;
    a = a.x;
  }
  return a.k === 'num' ? { token: a.token, sign, spec: n.b.spec } : null;
}

/** Reads tokens that are nothing but a unit (`m/s^2`, `J/(kg·K)`), or null. */
export function parseUnitTokens(tokens: readonly Token[], permissive: boolean): UnitSpec | null {
  const parser = new Parser(tokens, {
    isDefined: () => false,
    prefer: 'unit',
    gramAllowed: true,
    permissiveUnits: permissive,
  });
  return parser.unitOnly();
}
