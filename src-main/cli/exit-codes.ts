import { isAppError, type ErrorCode } from '../../src-shared/errors';

/** The CLI's exit codes, for scripts. */
export const exitCodes = { ok: 0, failed: 1, badInput: 2, modelError: 3 } as const;

const modelErrors: ErrorCode[] = [
  'not_found',
  'model_invalid',
  'model_unsupported',
  'model_not_loaded',
  'insufficient_memory',
  'unavailable',
  'engine_restarting',
];

/** Prints an error for a person and returns the exit code it deserves. */
export function reportError(error: unknown): number {
  if (error instanceof UsageError) {
    console.error(`phidesk: ${error.message}\nRun \`phidesk --help\` for usage.`);
    return exitCodes.badInput;
  }
  if (isAppError(error)) {
    console.error(`phidesk: ${error.message}`);
    if (error.code === 'invalid_input' || error.code === 'too_long') return exitCodes.badInput;
    return modelErrors.includes(error.code) ? exitCodes.modelError : exitCodes.failed;
  }
  console.error(`phidesk: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return exitCodes.failed;
}

/** Wrong or missing arguments. */
export class UsageError extends Error {}
