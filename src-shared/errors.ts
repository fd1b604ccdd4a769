/** Error codes that cross the contract. The renderer switches on these, never on messages. */
export const errorCodes = [
  'invalid_input',
  'not_found',
  'busy',
  'cancelled',
  'disconnected',
  'unavailable',
  /** The file is not a usable GGUF model: not GGUF at all, or incomplete (TEST-CATALOG M2, M3). */
  'model_invalid',
  /** A GGUF model Phidesk cannot run: another architecture, a newer format (M4). */
  'model_unsupported',
  /** The request needs a loaded model and none is. */
  'model_not_loaded',
  /** Not enough RAM or VRAM for the model at these settings (M8). */
  'insufficient_memory',
  /** A prompt that cannot fit the context window (I1). */
  'too_long',
  /** The model did not produce output of the required shape, even after retries. */
  'invalid_output',
  /** Saving failed because the disk (or the database's size limit) is full (TEST-CATALOG F3). */
  'disk_full',
  /** The history database was written by a newer Phidesk and is left untouched (F5). */
  'database_too_new',
  /** The engine process stopped unexpectedly and is being restarted: the same request can be sent again soon. */
  'engine_restarting',
  'internal',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

/** An error as it travels over a transport: plain data, so it survives JSON and structured clone. */
export interface WireError {
  code: ErrorCode;
  message: string;
  details?: unknown;
}

/** The one error type of Phidesk: thrown by core services, re-thrown by the client with the same code. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }

  toWire(): WireError {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }

  static fromWire(error: WireError): AppError {
    return new AppError(error.code, error.message, error.details);
  }
}

export function isAppError(value: unknown, code?: ErrorCode): value is AppError {
  return value instanceof AppError && (code === undefined || value.code === code);
}
