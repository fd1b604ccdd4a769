/** Data shapes of the physics tutor and the mistake check that cross the contract. Plain data only. */
import type { MessageView } from './types';

// ── The deterministic checker ──────────────────────────────────────────────────────────────────────────

/**
 * What the checker concluded about one line of a worked solution.
 * - `ok`: every equality it could evaluate holds (within the rounding the written figures allow).
 * - `error`: an equality does not hold, or its units do not match.
 * - `warning`: a result with a physical dimension written without a unit, or a symbol it does not know.
 * - `none`: nothing to check (prose, a formula without numbers, a blank line).
 */
export type LineStatus = 'ok' | 'error' | 'warning' | 'none';

export const findingKinds = [
  /** A side evaluates to another number than the one written. */
  'arithmetic',
  /** Two sides have different dimensions (m/s vs m), or a unit is written that the value cannot have. */
  'units',
  /** A value with a dimension is written as a bare number. */
  'missing_unit',
  /** A symbol that is neither defined earlier nor a known constant or unit. */
  'unknown_symbol',
  /** The line has an `=` chain the checker could not parse. */
  'unparsed',
] as const;
export type FindingKind = (typeof findingKinds)[number];

export interface LineFinding {
  /** 1-based line number in the text that was checked. */
  line: number;
  text: string;
  status: LineStatus;
  /** Why the line is an error or a warning. */
  kind?: FindingKind | undefined;
  /** For an arithmetic or unit error: the right value, with the unit and as many figures as written ("28.0 m/s"). */
  expected?: string | undefined;
  /** One sentence for people: what was checked, or what is wrong. */
  message: string;
}

export interface CheckReport {
  lines: LineFinding[];
  /** Symbols defined along the way (`g = 9.81 m/s^2`), formatted: { g: "9.81 m / s^2" }. */
  symbols: Record<string, string>;
  /** Counts, for summaries. */
  errors: number;
  warnings: number;
}

/** A numeric answer with its unit (`unit` is "" for a dimensionless quantity). */
export interface Quantity {
  value: number;
  unit: string;
}

export const answerVerdicts = [
  /** Equal within the tolerance (significant figures, at least 1%). */
  'correct',
  /** Within 5% but outside the tolerance: a rounding slip. */
  'close',
  /** Right dimension, wrong value. */
  'wrong',
  /** A unit of another dimension (m instead of m/s). */
  'wrong_unit',
  /** A bare number where a unit is needed. */
  'missing_unit',
  /** Not a number with a unit. */
  'unparsed',
] as const;
export type AnswerVerdict = (typeof answerVerdicts)[number];

export interface AnswerCheck {
  verdict: AnswerVerdict;
  /** Feedback that never gives the expected value away ("too high", "check the unit of speed"). */
  message: string;
}

// ── The problem bank ──────────────────────────────────────────────────────────────────────────────────

export const topics = [
  'kinematics',
  'forces',
  'energy',
  'momentum',
  'circular_motion',
  'waves',
  'circuits',
  'thermodynamics',
] as const;
export type Topic = (typeof topics)[number];

/** The kinds of mistake a student makes, as the mistake check classifies them. */
export const errorTypes = ['concept', 'formula', 'arithmetic', 'units', 'sign', 'reading'] as const;
export type ErrorType = (typeof errorTypes)[number];

export interface ProblemSummary {
  id: string;
  topic: Topic;
  title: string;
  /** Set on a practice variant: the bank problem it was made from. */
  variantOf?: string | undefined;
}

/** A problem ready to show: its numbers filled in, its answer computed. */
export interface Problem extends ProblemSummary {
  /** Markdown with `$…$` math. */
  statement: string;
  /** The given values by symbol, as shown in the statement. */
  givens: Record<string, Quantity>;
  answer: Quantity & {
    /** What is asked for, e.g. "speed at the bottom". */
    quantity: string;
    /** Significant figures the answer is given to. */
    sigFigs: number;
  };
  /** The reference solution, one step per line (Markdown with `$…$` math); the last line states the answer. */
  solution: string[];
  /** A typical wrong solution, with where and why it goes wrong (for the mistake check and its evaluation). */
  wrongSolution: {
    lines: string[];
    /** 1-based index into `lines`. */
    firstWrongStep: number;
    errorType: ErrorType;
    explanation: string;
  };
  /** For a practice variant: the seed that made it, so it can be made again. */
  seed?: number | undefined;
}

/** A problem the user typed in: no reference answer, so answers are checked against a checked solution. */
export interface CustomProblem {
  id: null;
  title: string;
  statement: string;
}

// ── Tutor sessions ────────────────────────────────────────────────────────────────────────────────────

/** The hint ladder: each click reveals one more level; only the last one is the full solution. */
export const hintLevels = ['nudge', 'principle', 'next step', 'full solution'] as const;
export type HintLevel = 1 | 2 | 3 | 4;

export interface TutorAnswerCheck extends AnswerCheck {
  /** What the student typed. */
  answer: string;
  /** What it was compared with: the problem's reference answer, or the tutor's checked solution. */
  against: 'reference' | 'solution';
  at: number;
}

/** One model-written part of a tutor session (a solution or a hint) and the checker's view of it. */
export interface TutorReply {
  /** The assistant message holding it: its text, status and stats. */
  message: MessageView;
  mode: 'solve' | 'hint';
  /** For a hint: its level on the ladder. */
  level: HintLevel | null;
  /** The prompt template and version that produced it, e.g. "tutor-solve.v1". */
  prompt: string;
  /** The checker's findings on its lines, once it is complete. */
  findings: CheckReport | null;
  /** For a solution: the final answer it states, if one can be read. */
  finalAnswer: Quantity | null;
  /** For a solution of a bank problem: its final answer against the reference. */
  referenceCheck: AnswerCheck | null;
}

export interface TutorSession {
  conversationId: number;
  problem: Problem | CustomProblem;
  /** Highest hint level shown so far (0: none). */
  hintLevel: 0 | HintLevel;
  /** Oldest first. */
  replies: TutorReply[];
  answerChecks: TutorAnswerCheck[];
}

// ── Mistake checks ────────────────────────────────────────────────────────────────────────────────────

export const verdicts = ['correct', 'incorrect', 'incomplete'] as const;
export type Verdict = (typeof verdicts)[number];

/** The model's analysis of a student's solution, as constrained by the JSON schema and then checked. */
export interface MistakeAnalysis {
  verdict: Verdict;
  /** 1-based step of the student's solution; 0 when none is wrong. */
  firstWrongStep: number;
  errors: { step: number; type: ErrorType; explanation: string }[];
  /** One step per line, Markdown with `$…$` math. */
  correctedSolution: string[];
  finalAnswer: string;
}

export type AnalysisState =
  | { status: 'running' }
  /** The app stopped while the model was writing; it can be run again. */
  | { status: 'interrupted' }
  | { status: 'stopped' }
  | { status: 'failed'; error: string }
  | {
      status: 'done';
      result: MistakeAnalysis;
      /** The checker's findings on the corrected solution. */
      correctedFindings: CheckReport;
      /** The model's final answer against the reference answer, when the problem has one. */
      finalAnswerCheck: AnswerCheck | null;
      /** Where the checker, the reference and the model do not agree, said plainly. */
      disagreements: string[];
      prompt: string;
    };

export interface MistakeCheck {
  conversationId: number;
  /** The problem as given, and the bank problem it came from, if any. */
  problem: string;
  problemId: string | null;
  reference: (Quantity & { sigFigs: number }) | null;
  /** The student's solution, one step per non-empty line. */
  steps: string[];
  /** The checker's findings, line n for step n. */
  findings: CheckReport;
  analysis: AnalysisState;
}
