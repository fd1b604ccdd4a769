import type { ErrorCode } from '../../../src-shared/errors';

/**
 * The HTTP status for each contract error code. A Record over every code, so a new code cannot be added
 * without choosing one here; only `internal` (a bug) is a 500.
 */
const statusByCode: Record<ErrorCode, number> = {
  invalid_input: 400,
  not_found: 404,
  busy: 409,
  cancelled: 409,
  disconnected: 503,
  unavailable: 503,
  model_invalid: 422,
  model_unsupported: 422,
  model_not_loaded: 409,
  insufficient_memory: 503,
  too_long: 422,
  // The request was fine; the model, the host's upstream, answered badly.
  invalid_output: 502,
  disk_full: 507,
  database_too_new: 503,
  engine_restarting: 503,
  internal: 500,
};

export function httpStatusForError(code: ErrorCode): number {
  return statusByCode[code];
}
