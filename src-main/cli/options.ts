import type { ZodType } from 'zod';
import { UsageError } from './exit-codes';

/**
 * Reads an option with one of the contract's own schemas, so the command line accepts exactly what the
 * app accepts. Numbers are converted first.
 */
export function option<T>(
  name: string,
  raw: string | undefined,
  schema: ZodType<T>,
  kind: 'number' | 'text',
): T | undefined {
  if (raw === undefined) return undefined;
  const value = kind === 'number' ? (raw.trim() === '' ? Number.NaN : Number(raw)) : raw;
  const result = schema.safeParse(value);
  if (!result.success)
    throw new UsageError(`--${name} ${raw}: ${result.error.issues[0]?.message ?? 'invalid value'}`);
  return result.data;
}

export function required(name: string, value: string | undefined): string {
  if (!value) throw new UsageError(`--${name} is required`);
  return value;
}
