/** The app's settings: what they are, their defaults, and the built-in system prompts for Phi-2. */
import { z } from 'zod';
import { limits } from './limits';

export const presetSchema = z.strictObject({
  id: z.string().min(1).max(40),
  name: z.string().trim().min(1).max(60),
  system: z.string().max(limits.systemChars),
});
export type Preset = z.infer<typeof presetSchema>;

/** Sampling as a request states it: a seed, or none for a random one each time. */
export const samplingSchema = z.strictObject({
  temperature: z.number().min(0).max(2),
  topP: z.number().min(0).max(1),
  topK: z.int().min(0).max(1000),
  minP: z.number().min(0).max(1),
  repeatPenalty: z.number().min(1).max(2),
  seed: z
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .optional(),
});

/** Sampling as settings keep it: no seed is stored as null. */
const sampling = samplingSchema.extend({ seed: samplingSchema.shape.seed.unwrap().nullable() });

export const appSettingsSchema = z.strictObject({
  theme: z.enum(['system', 'light', 'dark']),
  fontSize: z.int().min(12).max(22),
  sampling,
  maxTokens: z.int().min(16).max(limits.maxTokens),
  presetId: z.string().max(40),
  presets: z.array(presetSchema).max(50),
  gpu: z.enum(['auto', 'cpu', 'metal', 'cuda', 'vulkan']),
  gpuLayers: z.union([z.literal('auto'), z.int().min(0).max(limits.gpuLayers)]),
  threads: z.union([z.literal('auto'), z.int().min(1).max(limits.threads)]),
  contextSize: z.union([z.literal('auto'), z.int().min(256).max(limits.contextSize)]),
  /** The model loaded at startup. */
  defaultModel: z.string().max(limits.pathChars).nullable(),
});
export type AppSettings = z.infer<typeof appSettingsSchema>;

/** Written for Phi-2: a base model follows a short, plain preamble best. */
export const builtInPresets: Preset[] = [
  {
    id: 'assistant',
    name: 'Helpful assistant',
    system: 'A helpful assistant answers the question clearly and briefly, and says so when it is not sure.',
  },
  {
    id: 'physics',
    name: 'Physics tutor',
    system:
      'A patient physics tutor explains step by step, writes every formula in LaTeX between $ signs, and always gives units.',
  },
  {
    id: 'study',
    name: 'Study notes',
    system:
      'A study partner turns the topic into short bullet-point notes with the key definitions and formulas.',
  },
  {
    id: 'code',
    name: 'Code helper',
    system: 'An expert programmer answers with a short explanation and the code in a Markdown code block.',
  },
  { id: 'none', name: 'No system prompt', system: '' },
];

/** The one source of sampling defaults: open chat at Phi-2's usual settings (DESIGN section 3). */
export const defaultSampling = { temperature: 0.7, topP: 0.95, topK: 40, minP: 0.05, repeatPenalty: 1.1 };
export const defaultMaxTokens = 512;

export const defaultSettings: AppSettings = {
  theme: 'system',
  fontSize: 15,
  sampling: { ...defaultSampling, seed: null },
  maxTokens: defaultMaxTokens,
  presetId: 'assistant',
  presets: builtInPresets,
  gpu: 'auto',
  gpuLayers: 'auto',
  threads: 'auto',
  contextSize: 'auto',
  defaultModel: null,
};

/** A change to some settings; `sampling` may change some of its fields. */
export const settingsPatchSchema = appSettingsSchema.extend({ sampling: sampling.partial() }).partial();
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;
