/**
 * Fills the placeholders of problem texts. Double braces cannot be confused with LaTeX, whose groups are single
 * braces (write `\frac{ {{F:n}} }{ {{m:n}} }` with spaces, never `{{` for LaTeX itself):
 *
 * - `{{H}}`: a given or constant with its unit, for prose ("40 m", "30°", "12 Ω").
 * - `{{H:n}}`: the number alone, for math ("40").
 * - `{{=expr}}`: mathjs over the written numbers (bare, in the units the data gives), rounded to the answer's
 *   significant figures; `{{=expr:3}}` to 3 figures. `{{=expr>v1}}` also names the number as written, so later
 *   steps (`{{v1:n}}`, `{{=2*v1}}`) compute with exactly what the reader sees.
 */
import { roundToFigures } from './problem-format';
import { evaluateNumber, type Scope } from './problem-math';

export interface TemplateValues {
  /** Givens, constants and named results: the number as written, and the same with its unit for prose. */
  shown: Record<string, { number: string; withUnit: string }>;
  /** What `{{=…}}` computes with. */
  scope: Scope;
  /** Default significant figures of `{{=…}}`. */
  sigFigs: number;
}

const placeholder = /\{\{([^{}]*)\}\}/g;
const expression = /^=(.+?)(?::(\d+))?(?:>([A-Za-z][A-Za-z0-9_]*))?$/s;
const reference = /^([A-Za-z][A-Za-z0-9_]*)(:n)?$/;

/** Fills lines in order; a name bound with `>` in one line can be used in the lines after it. */
export function fillLines(lines: readonly string[], values: TemplateValues): string[] {
  const own: TemplateValues = { ...values, shown: { ...values.shown }, scope: { ...values.scope } };
  return lines.map((line) => fillText(line, own));
}

function fillText(template: string, values: TemplateValues): string {
  const filled = template.replace(placeholder, (_whole, body: string) =>
    fillPlaceholder(body.trim(), values),
  );
  if (filled.includes('{{')) throw new Error(`unclosed placeholder in "${template}"`);
  return filled;
}

function fillPlaceholder(body: string, values: TemplateValues): string {
  const computed = expression.exec(body);
  if (computed) {
    const [, expr = '', figures, name] = computed;
    const { value, text } = roundToFigures(
      evaluateNumber(expr, values.scope),
      figures ? Number(figures) : values.sigFigs,
    );
    if (name) {
      if (name in values.scope) throw new Error(`{{${body}}} names "${name}", which is already defined`);
      values.scope[name] = value;
      values.shown[name] = { number: text, withUnit: text };
    }
    return text;
  }
  const referred = reference.exec(body);
  const shown = referred?.[1] === undefined ? undefined : values.shown[referred[1]];
  if (!referred || !shown) throw new Error(`unknown placeholder {{${body}}}`);
  return referred[2] ? shown.number : shown.withUnit;
}
