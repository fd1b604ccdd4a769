/**
 * Rewrites the notations a worked solution comes in (Unicode math, LaTeX, inline `$…$`) into one plain
 * notation the tokenizer reads: `√(…)`, `^(…)`, `_sub`, `·`/`×`/`*` for times, `≈`, `→` for "so", `°`, `π`.
 * Prose passes through unchanged, so words still read as words and end the math around them.
 */

const greekByName: Record<string, string> = {
  alpha: 'α',
  beta: 'β',
  gamma: 'γ',
  delta: 'δ',
  epsilon: 'ε',
  varepsilon: 'ε',
  zeta: 'ζ',
  eta: 'η',
  theta: 'θ',
  vartheta: 'θ',
  iota: 'ι',
  kappa: 'κ',
  lambda: 'λ',
  mu: 'μ',
  nu: 'ν',
  xi: 'ξ',
  pi: 'π',
  rho: 'ρ',
  sigma: 'σ',
  tau: 'τ',
  phi: 'φ',
  varphi: 'φ',
  chi: 'χ',
  psi: 'ψ',
  omega: 'ω',
  Gamma: 'Γ',
  Delta: 'Δ',
  Theta: 'Θ',
  Lambda: 'Λ',
  Sigma: 'Σ',
  Phi: 'Φ',
  Psi: 'Ψ',
  Omega: 'Ω',
};

/** Greek letters spelled out in plain text (`theta`, `omega`) and the letter they stand for. */
export const spelledGreek: Readonly<Record<string, string>> = greekByName;

const latexSymbols: Record<string, string> = {
  cdot: ' · ',
  times: ' × ',
  ast: ' * ',
  div: ' / ',
  pm: ' ; ',
  approx: ' ≈ ',
  simeq: ' ≈ ',
  cong: ' ≈ ',
  equiv: ' = ',
  to: ' → ',
  rightarrow: ' → ',
  Rightarrow: ' → ',
  longrightarrow: ' → ',
  Longrightarrow: ' → ',
  implies: ' → ',
  therefore: ' → ',
  iff: ' → ',
  neq: ' < ',
  ne: ' < ',
  leq: ' < ',
  geq: ' < ',
  le: ' < ',
  ge: ' < ',
  lt: ' < ',
  gt: ' < ',
  ll: ' < ',
  gg: ' < ',
  quad: ' ; ',
  qquad: ' ; ',
  circ: '°',
  degree: '°',
  infty: ' ; ',
  ',': ' ',
  ';': ' ',
  ':': ' ',
  '!': '',
  ' ': ' ',
  enspace: ' ',
  thinspace: ' ',
  '%': '%',
  '{': '(',
  '}': ')',
  '(': ' ',
  ')': ' ',
  '[': ' ',
  ']': ' ',
  '\\': ' ; ',
  displaystyle: '',
  textstyle: '',
  limits: '',
  nonumber: '',
  notag: '',
  left: '',
  right: '',
  big: '',
  Big: '',
  bigg: '',
  Bigg: '',
  bigl: '',
  bigr: '',
  Bigl: '',
  Bigr: '',
};

const latexFunctions = new Set([
  'sin',
  'cos',
  'tan',
  'sec',
  'csc',
  'cot',
  'arcsin',
  'arccos',
  'arctan',
  'ln',
  'log',
  'exp',
  'sinh',
  'cosh',
  'tanh',
]);

/** Commands whose argument is kept as plain text (units, words, decorations). */
const textCommands = new Set([
  'text',
  'textrm',
  'textit',
  'textbf',
  'textnormal',
  'mathrm',
  'mathit',
  'mathbf',
  'mathsf',
  'mathtt',
  'boldsymbol',
  'bm',
  'operatorname',
  'mbox',
  'hbox',
  'si',
  'unit',
  'vec',
  'hat',
  'bar',
  'overline',
  'underline',
  'tilde',
  'dot',
  'ddot',
  'mathbb',
  'mathcal',
]);

class LatexReader {
  private pos = 0;
  constructor(
    private readonly src: string,
    private readonly depth = 0,
  ) {}

  read(): string {
    let out = '';
    while (this.pos < this.src.length) out += this.next();
    return out;
  }

  /** One unit of input: a command, a group, or a character. */
  private next(): string {
    const ch = this.src[this.pos] ?? '';
    if (ch === '\\') return this.command();
    if (ch === '{') return `(${this.group()})`;
    if (ch === '^') {
      this.pos++;
      this.skipSpaces();
      // `^\circ` and `^{\circ}` are degrees, not a power.
      const rest = this.src.slice(this.pos);
      const degree = /^(\\circ|\{\s*\\circ\s*\})/.exec(rest);
      if (degree) {
        this.pos += degree[0].length;
        return '°';
      }
      const next = this.src[this.pos];
      if (next === '{' || next === '\\') return `^(${this.argument()})`;
      // Plain text writes `10^-3` and `10^12`; read the whole signed number (or one letter).
      const plain = /^[+-]?(\d+(\.\d+)?|[A-Za-zα-ωΑ-Ω])/.exec(rest);
      if (plain) {
        this.pos += plain[0].length;
        return `^(${plain[0]})`;
      }
      return '^';
    }
    if (ch === '_') {
      this.pos++;
      this.skipSpaces();
      // Subscripts become part of the name: `v_{0}` → `v_0`, `F_{\text{net}}` → `F_net`.
      return `_${this.argument().replace(/[\s()]/g, '')}`;
    }
    if (ch === '&' || ch === '~') {
      this.pos++;
      return ' ';
    }
    this.pos++;
    return ch;
  }

  private skipSpaces(): void {
    while (this.src[this.pos] === ' ') this.pos++;
  }

  /** The contents of a `{…}` group (read recursively), with the reader placed after it. */
  private group(): string {
    this.pos++; // {
    const body = this.src.slice(this.pos, this.closingBrace());
    // Nesting this deep is not math anyone writes: keep the rest as it is rather than recurse further.
    const text = this.depth > 50 ? body : new LatexReader(body, this.depth + 1).read();
    this.pos = this.closingBrace() + 1;
    return text;
  }

  private closingBrace(): number {
    let depth = 1;
    for (let i = this.pos; i < this.src.length; i++) {
      const c = this.src[i];
      if (c === '\\') i++;
      else if (c === '{') depth++;
      else if (c === '}' && --depth === 0) return i;
    }
    return this.src.length;
  }

  /** A command argument: a group, a command, or one character (`\frac12`). */
  private argument(): string {
    this.skipSpaces();
    const ch = this.src[this.pos];
    if (ch === undefined) return '';
    if (ch === '{') return this.group();
    if (ch === '\\') return this.command();
    this.pos++;
    return ch;
  }

  private optionalArgument(): string | null {
    this.skipSpaces();
    if (this.src[this.pos] !== '[') return null;
    const end = this.src.indexOf(']', this.pos);
    if (end < 0) return null;
    const text = new LatexReader(this.src.slice(this.pos + 1, end), this.depth + 1).read();
    this.pos = end + 1;
    return text;
  }

  private command(): string {
    this.pos++; // backslash
    const letters = /^[A-Za-z]+/.exec(this.src.slice(this.pos));
    const name = letters ? letters[0] : (this.src[this.pos] ?? '');
    this.pos += name.length;
    if (name === 'frac' || name === 'dfrac' || name === 'tfrac' || name === 'cfrac') {
      const a = this.argument();
      const b = this.argument();
      return `(${wrap(a)}/${wrap(b)})`;
    }
    if (name === 'sqrt') {
      const index = this.optionalArgument();
      const radicand = this.argument();
      return index ? `((${radicand})^(1/(${index})))` : `√${parenthesized(radicand)}`;
    }
    if (name === 'SI' || name === 'qty' || name === 'SIunit') {
      const value = this.argument();
      const unit = this.argument();
      return `${value} ${unit}`;
    }
    if (name === 'begin' || name === 'end') {
      this.argument();
      return ' ; ';
    }
    if (textCommands.has(name)) return ` ${this.argument()} `;
    if (name in latexSymbols) return latexSymbols[name] ?? '';
    const greek = greekByName[name];
    if (greek) return greek;
    if (latexFunctions.has(name)) return ` ${name} `;
    // An unknown command: keep its name as a word, so it reads as prose and stops the math.
    return ` ${name} `;
  }
}

/** `(a/b)` stays as it is; `a + b` becomes `(a + b)`. */
function parenthesized(text: string): string {
  const trimmed = text.trim();
  if (!trimmed.startsWith('(')) return `(${trimmed})`;
  let depth = 0;
  for (let i = 0; i < trimmed.length; i++) {
    if (trimmed[i] === '(') depth++;
    else if (trimmed[i] === ')' && --depth === 0 && i < trimmed.length - 1) return `(${trimmed})`;
  }
  return trimmed;
}

/** Keeps a fraction's parts readable: `(1/2)` rather than `((1)/(2))` when a part is a single term. */
function wrap(part: string): string {
  const trimmed = part.trim();
  return /^[\w.πα-ωΑ-Ω]+$/.test(trimmed) ? trimmed : `(${trimmed})`;
}

const superscripts: Record<string, string> = {
  '⁰': '0',
  '¹': '1',
  '²': '2',
  '³': '3',
  '⁴': '4',
  '⁵': '5',
  '⁶': '6',
  '⁷': '7',
  '⁸': '8',
  '⁹': '9',
  '⁻': '-',
  '⁺': '+',
};
const subscripts: Record<string, string> = {
  '₀': '0',
  '₁': '1',
  '₂': '2',
  '₃': '3',
  '₄': '4',
  '₅': '5',
  '₆': '6',
  '₇': '7',
  '₈': '8',
  '₉': '9',
};
const vulgarFractions: Record<string, string> = {
  '½': '(1/2)',
  '⅓': '(1/3)',
  '⅔': '(2/3)',
  '¼': '(1/4)',
  '¾': '(3/4)',
  '⅕': '(1/5)',
  '⅛': '(1/8)',
};

function unicodeToPlain(text: string): string {
  return (
    text
      // Digit groups: `27 468` with a thin space is one number; an ordinary space is left alone.
      .replace(/(\d)[\u2009\u202f](?=\d{3}(?!\d))/g, '$1')
      .replace(/[\u00a0\u2000-\u200b\u202f\u205f\u3000\t]/g, ' ')
      .replace(/=>|⇒|⟹|⟶|↦|->/g, ' → ')
      .replace(/[−‒–]/g, '-')
      .replace(/—/g, ' ; ')
      .replace(/[⋅∙•]/g, '·')
      .replace(/[÷∕]/g, '/')
      .replace(/[≃≅]/g, '≈')
      .replace(/~=/g, '≈')
      .replace(/[≠≤≥≪≫]/g, ' < ')
      .replace(/µ/g, 'μ')
      .replace(/Ω/g, 'Ω')
      .replace(/℃/g, '°C')
      .replace(/℉/g, '°F')
      // Plain-text powers of units: `m/s2` is m/s², `5 m2` is 5 m².
      .replace(/(\/\s*(?:s|m|cm|mm|km|h))([23])(?![\w.])/g, '$1^$2')
      .replace(/(\d\s*(?:m|cm|mm|km))([23])(?![\w.])/g, '$1^$2')
      .replace(/[º˚]/g, '°')
      .replace(/°\s+([CF])(?![A-Za-z])/g, '°$1')
      .replace(/[⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺]+/g, (run) => `^(${[...run].map((c) => superscripts[c] ?? '').join('')})`)
      .replace(/[₀₁₂₃₄₅₆₇₈₉]+/g, (run) => `_${[...run].map((c) => subscripts[c] ?? '').join('')}`)
      .replace(/[½⅓⅔¼¾⅕⅛]/g, (c) => vulgarFractions[c] ?? c)
  );
}

/**
 * Plain notation for one line: LaTeX commands and math delimiters rewritten, Unicode operators mapped, Markdown
 * emphasis dropped. `Step 2: $v = \sqrt{2 \cdot 9.81 \cdot 40} = 28.01$ m/s` → `Step 2:  v = √(2 · 9.81 · 40) = 28.01  m/s`.
 */
export function normalizeNotation(line: string): string {
  const text = line
    .replace(/\*\*|__|`/g, ' ')
    // Markdown *italic* around words (not `2*3*4`).
    .replace(/(^|\s)\*([A-Za-z][^*]*?)\*(?=\s|$|[.,;:])/g, '$1$2')
    // Thousands separated by `\,` in LaTeX: `27\,468`.
    .replace(/(\d)\\,(?=\d{3}(?!\d))/g, '$1')
    .replace(/\$\$?/g, ' ');
  return unicodeToPlain(new LatexReader(text).read());
}
