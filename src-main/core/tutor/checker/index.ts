/**
 * The deterministic checker of the physics tutor: re-checks the numbers and units of a worked solution, checks
 * a typed answer, and offers the small quantity helpers it is built on.
 */
export { checkSolution, type CheckOptions } from './check-solution';
export { compareAnswer } from './compare-answer';
export {
  convertQuantity,
  evaluateExpression,
  formatQuantity,
  normalizeUnit,
  parseQuantity,
} from './quantity';
export { countSigFigs, formatSigFigs, roundToSigFigs } from './sig-figs';
