import { describe, expect, it } from 'vitest';
import { appSettingsSchema, samplingSchema } from './settings';

const sampling = { temperature: 0.5, topP: 0.9, topK: 40, minP: 0.05, repeatPenalty: 1.1 };

describe('sampling schemas', () => {
  it('settings keep "no seed" as null; a request leaves it out', () => {
    const kept = appSettingsSchema.shape.sampling;
    expect(kept.safeParse({ ...sampling, seed: null }).success).toBe(true);
    expect(kept.safeParse(sampling).success).toBe(false);
    expect(samplingSchema.safeParse(sampling).success).toBe(true);
    expect(samplingSchema.safeParse({ ...sampling, seed: null }).success).toBe(false);
  });

  it('both share the ranges and refuse unknown keys', () => {
    for (const schema of [appSettingsSchema.shape.sampling, samplingSchema]) {
      expect(schema.safeParse({ ...sampling, seed: 2 ** 31 }).success).toBe(false);
      expect(schema.safeParse({ ...sampling, seed: 7, temperature: 3 }).success).toBe(false);
      expect(schema.safeParse({ ...sampling, seed: 7, extra: 1 }).success).toBe(false);
    }
  });
});
