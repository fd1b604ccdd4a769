/**
 * Structured output on any engine: JSON constrained by a schema, parsed and checked. A random or confused
 * model can still run out of tokens mid-object or produce values the schema allows but `validate` rejects:
 * such attempts are retried with another seed, then refused as `invalid_output` — never returned unchecked.
 */
import type { GbnfJsonSchema } from 'node-llama-cpp';
import { AppError } from '../../../src-shared/errors';
import type { Engine, GenerateRequest, GenerationHooks } from './engine';

export interface JsonOptions<T> {
  /** Checks the parsed value (shape, ranges, cross-field rules) and returns it typed; throws to reject it. */
  validate: (value: unknown) => T;
  /** Generations to try before giving up (each with another seed). */
  attempts?: number;
  /** Stops the attempt being written (it then rejects as `cancelled`). */
  signal?: AbortSignal;
  /** Follows each attempt as it is written. */
  hooks?: GenerationHooks;
}

export async function generateJson<T>(
  engine: Engine,
  request: GenerateRequest,
  schema: GbnfJsonSchema,
  options: JsonOptions<T>,
): Promise<T> {
  const attempts = options.attempts ?? 3;
  const problems: string[] = [];
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const seed = (request.sampling?.seed ?? 0) + attempt - 1;
    if (options.signal?.aborted) throw new AppError('cancelled', 'Stopped.');
    const handle = await engine.generate(
      { ...request, json: schema, sampling: { ...request.sampling, seed } },
      options.hooks,
    );
    const stop = () => engine.stop(handle.requestId);
    options.signal?.addEventListener('abort', stop);
    if (options.signal?.aborted) stop();
    const done = await handle.done.finally(() => options.signal?.removeEventListener('abort', stop));
    if (done.stopReason === 'user_stop') throw new AppError('cancelled', 'Stopped.');
    if (done.error) throw AppError.fromWire(done.error);
    if (done.stopReason === 'max_tokens') {
      problems.push(`attempt ${attempt}: ran out of tokens`);
      continue;
    }
    try {
      return options.validate(JSON.parse(done.text));
    } catch (error) {
      problems.push(`attempt ${attempt}: ${(error as Error).message}`);
    }
  }
  throw new AppError('invalid_output', `The model did not produce a valid answer (${problems.join('; ')}).`, {
    problems,
  });
}
