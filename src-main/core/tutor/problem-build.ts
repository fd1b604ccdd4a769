/** Turns a problem template and a choice of given values into a Problem ready to show. */
import type { Problem, Quantity, Topic } from '../../../src-shared/tutor';
import { decimalPlaces, roundToFigures, withUnit } from './problem-format';
import { evaluateCondition, evaluateIn, numberScope, unitScope, type DataQuantity } from './problem-math';
import type { ProblemTemplate } from './problem-schema';
import { fillLines, type TemplateValues } from './problem-template';

type Given = ProblemTemplate['givens'][string];

/** Given values by symbol. */
export type GivenValues = Record<string, number>;

/**
 * Every variant shows a given with the same decimals ("0.80", "0.85"): as many as its value, min and step have in
 * the data, or more if it asks for them with `decimals`.
 */
export function givenDecimals(given: Given): number {
  return Math.max(
    given.decimals ?? 0,
    decimalPlaces(given.value),
    given.step === undefined ? 0 : decimalPlaces(given.step),
    given.min === undefined ? 0 : decimalPlaces(given.min),
  );
}

export function defaultValues(template: ProblemTemplate): GivenValues {
  return Object.fromEntries(Object.entries(template.givens).map(([name, given]) => [name, given.value]));
}

function quantities(template: ProblemTemplate, values: GivenValues): Record<string, DataQuantity> {
  const all: Record<string, DataQuantity> = { ...template.constants };
  for (const [name, given] of Object.entries(template.givens)) {
    all[name] = { value: values[name] ?? given.value, unit: given.unit };
  }
  return all;
}

export function satisfiesConstraints(template: ProblemTemplate, values: GivenValues): boolean {
  const scope = unitScope(quantities(template, values));
  return (template.constraints ?? []).every((constraint) => evaluateCondition(constraint, scope));
}

/** Givens and constants as the texts show them. */
function shownValues(template: ProblemTemplate, values: GivenValues): TemplateValues['shown'] {
  const shown: TemplateValues['shown'] = {};
  for (const [name, constant] of Object.entries(template.constants ?? {})) {
    const number = String(constant.value);
    shown[name] = { number, withUnit: withUnit(number, constant.unit) };
  }
  for (const [name, given] of Object.entries(template.givens)) {
    const number = (values[name] ?? given.value).toFixed(givenDecimals(given));
    shown[name] = { number, withUnit: withUnit(number, given.unit) };
  }
  return shown;
}

/**
 * Computes the answer from its formula (with units, so a wrong dimension throws) and fills every text. With a
 * seed it is a practice variant, `id~seed`.
 */
export function buildProblem(
  template: ProblemTemplate,
  topic: Topic,
  values: GivenValues,
  seed?: number,
): Problem {
  const all = quantities(template, values);
  const { answer: answerTemplate, wrongSolution } = template;
  const exact = evaluateIn(answerTemplate.formula, unitScope(all), answerTemplate.unit);
  const answer = roundToFigures(exact, answerTemplate.sigFigs);
  const filling: TemplateValues = {
    shown: shownValues(template, values),
    scope: numberScope(all),
    sigFigs: answerTemplate.sigFigs,
  };
  const givens: Record<string, Quantity> = {};
  for (const [name, { unit }] of Object.entries(template.givens)) {
    givens[name] = { value: all[name]!.value, unit };
  }

  return {
    id: seed === undefined ? template.id : `${template.id}~${seed}`,
    topic,
    title: template.title,
    ...(seed !== undefined && { variantOf: template.id, seed }),
    statement: fillLines([template.statement], filling)[0]!,
    givens,
    answer: {
      value: answer.value,
      unit: answerTemplate.unit,
      quantity: answerTemplate.quantity,
      sigFigs: answerTemplate.sigFigs,
    },
    solution: fillLines(template.solution, filling),
    wrongSolution: {
      lines: fillLines(wrongSolution.lines, filling),
      firstWrongStep: wrongSolution.firstWrongStep,
      errorType: wrongSolution.errorType,
      explanation: fillLines([wrongSolution.explanation], filling)[0]!,
    },
  };
}
