/**
 * The typed errors of reading a GGUF file. Each is an AppError, so it crosses the contract with its code
 * and message like any other; inside the main process its class also says which problem it was (a
 * download cut short can be resumed, a file that was never a model cannot).
 */
import { AppError } from '../../../src-shared/errors';

export const redownload = 'Download it again, or choose another .gguf file.';

/** Not GGUF at all: an HTML error page saved as .gguf, JSON, text, an archive (TEST-CATALOG M2). */
export class NotGgufError extends AppError {
  constructor(what: string) {
    super('model_invalid', `This is not a GGUF model: ${what}. ${redownload}`);
    this.name = 'NotGgufError';
  }
}

/** The header describes more than the file holds: a download cut short (M3). */
export class GgufTruncatedError extends AppError {
  readonly sizeBytes: number;
  /** The size the header describes; null when the file ends inside the header itself. */
  readonly expectedBytes: number | null;

  constructor(sizeBytes: number, expectedBytes: number | null) {
    super(
      'model_invalid',
      expectedBytes === null
        ? `The model file is incomplete: it ends at byte ${sizeBytes}, inside its header. ${redownload}`
        : `The model file is incomplete: it has ${sizeBytes} of the ${expectedBytes} bytes its header describes. ${redownload}`,
    );
    this.name = 'GgufTruncatedError';
    this.sizeBytes = sizeBytes;
    this.expectedBytes = expectedBytes;
  }
}

/** A GGUF version llama.cpp here cannot read (M4). */
export class GgufVersionError extends AppError {
  readonly version: number;

  constructor(version: number) {
    super(
      'model_unsupported',
      version > 3
        ? `This model uses GGUF version ${version}, newer than this version of Phidesk can read. Update Phidesk.`
        : `This model uses GGUF version ${version}, an old format llama.cpp no longer reads. Download a current .gguf file of it.`,
    );
    this.name = 'GgufVersionError';
    this.version = version;
  }
}

/** A model of an architecture Phidesk cannot prompt (M4). */
export class GgufArchitectureError extends AppError {
  readonly architecture: string;

  constructor(architecture: string) {
    super(
      'model_unsupported',
      `This is a ${architecture} model without a chat template; Phidesk is built for Phi-2 and cannot prompt it.`,
    );
    this.name = 'GgufArchitectureError';
    this.architecture = architecture;
  }
}
