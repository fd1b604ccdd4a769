/**
 * The physics problem bank: problem templates in resources/problems/*.json (one file per topic, format in that
 * folder's README.md), checked and filled when loaded, and practice variants made from a seed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { topics, type Problem, type ProblemSummary, type Topic } from '../../../src-shared/tutor';
import { buildProblem, defaultValues, satisfiesConstraints } from './problem-build';
import { checkUnit } from './problem-math';
import { problemFileSchema, type ProblemTemplate } from './problem-schema';
import { variantValues } from './problem-variant';

export interface BankEntry {
  template: ProblemTemplate;
  topic: Topic;
  /** The file it came from, for error messages. */
  source: string;
}

/** `energy-skier-slope~42`: the problem id and the seed of a variant. */
const variantId = /^(.+)~(-?\d+)$/;

export class ProblemBank {
  readonly #entries = new Map<string, BankEntry>();
  readonly #problems = new Map<string, Problem>();

  /** Checks every template by building it with its default values; throws naming the file and the problem. */
  constructor(entries: readonly BankEntry[]) {
    const ordered = [...entries].sort((a, b) => topics.indexOf(a.topic) - topics.indexOf(b.topic));
    for (const entry of ordered) {
      const { id } = entry.template;
      const known = this.#entries.get(id);
      if (known) throw problemError(entry, `the id is already used in ${known.source}`);
      this.#entries.set(id, entry);
      this.#problems.set(
        id,
        withContext(entry, () => checkedDefault(entry)),
      );
    }
  }

  list(): ProblemSummary[] {
    return [...this.#problems.values()].map(({ id, topic, title }) => ({ id, topic, title }));
  }

  /** A bank problem (a copy: callers may keep and change it), or a variant by its id (`id~seed`), made again. */
  get(id: string): Problem | undefined {
    const problem = this.#problems.get(id);
    if (problem) return structuredClone(problem);
    const match = variantId.exec(id);
    const seed = Number(match?.[2]);
    if (!match?.[1] || !this.#entries.has(match[1]) || !Number.isSafeInteger(seed)) return undefined;
    return this.variant(match[1], seed);
  }

  /** The same problem with other numbers, the same for the same seed. Variants of a variant start from its base. */
  variant(id: string, seed: number): Problem {
    const baseId = variantId.exec(id)?.[1] ?? id;
    const entry = this.#entries.get(baseId);
    if (!entry) throw new Error(`no problem "${baseId}" in the bank`);
    if (!Number.isSafeInteger(seed)) throw new Error(`a variant seed is an integer, not ${seed}`);
    return withContext(entry, () =>
      buildProblem(entry.template, entry.topic, variantValues(entry.template, seed), seed),
    );
  }
}

function checkedDefault(entry: BankEntry): Problem {
  const { template } = entry;
  const units: [string, string][] = [
    ...Object.entries({ ...template.givens, ...template.constants }).map(
      ([name, quantity]): [string, string] => [name, quantity.unit],
    ),
    ['the answer', template.answer.unit],
  ];
  for (const [name, unit] of units) {
    try {
      checkUnit(unit);
    } catch (error) {
      throw new Error(`unit "${unit}" of ${name}: ${errorMessage(error)}`, { cause: error });
    }
  }
  if (!satisfiesConstraints(template, defaultValues(template))) {
    throw new Error('the default values break a constraint');
  }
  return buildProblem(template, entry.topic, defaultValues(template));
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function problemError(entry: BankEntry, message: string, cause?: unknown): Error {
  return new Error(`${entry.source}: problem "${entry.template.id}": ${message}`, { cause });
}

function withContext<T>(entry: BankEntry, work: () => T): T {
  try {
    return work();
  } catch (error) {
    throw problemError(entry, errorMessage(error), error);
  }
}

/** Reads one topic file; schema errors name the problem by id where the data has one. */
export function readProblemFile(file: string): BankEntry[] {
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: ${errorMessage(error)}`, { cause: error });
  }
  const parsed = problemFileSchema.safeParse(data);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${describePath(data, issue.path)}: ${issue.message}`);
    throw new Error(`${file}: ${issues.join('; ')}`);
  }
  return parsed.data.problems.map((template) => ({ template, topic: parsed.data.topic, source: file }));
}

/** `problems.3.answer.unit` → `problem "energy-skier-slope": answer.unit`. */
function describePath(data: unknown, issuePath: readonly PropertyKey[]): string {
  const [head, index, ...rest] = issuePath.map(String);
  if (head !== 'problems' || index === undefined) return issuePath.map(String).join('.') || '(file)';
  const problems = (data as { problems?: { id?: unknown }[] }).problems;
  const id = problems?.[Number(index)]?.id;
  const name = typeof id === 'string' ? `problem "${id}"` : `problem #${Number(index) + 1}`;
  return rest.length > 0 ? `${name}: ${rest.join('.')}` : name;
}

/** Loads every *.json in `dir` (resources/problems). Throws on the first bad file or problem, naming both. */
export function loadProblemBank(dir: string): ProblemBank {
  const files = fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort();
  if (files.length === 0) throw new Error(`${dir}: no problem files`);
  return new ProblemBank(files.flatMap((name) => readProblemFile(path.join(dir, name))));
}
