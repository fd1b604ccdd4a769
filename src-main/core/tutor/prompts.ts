/**
 * The tutor's prompt templates (resources/prompts, described in its README): loaded once, the highest version
 * of each name, and rendered strictly — a placeholder without a value, or a value without a placeholder, is
 * a bug and throws.
 */
import { splitLines } from '../../../src-shared/lines';
import fs from 'node:fs';
import path from 'node:path';
import type { ChatTurn } from '../../../src-shared/types';

export const promptNames = [
  'tutor-solve',
  'tutor-hint-nudge',
  'tutor-hint-principle',
  'tutor-hint-next-step',
  'mistake-analysis',
] as const;
export type PromptName = (typeof promptNames)[number];

interface Template {
  /** `name.vN`, recorded with every answer the prompt produces. */
  id: string;
  system: string;
  instruct: string;
  output: string;
}

/** A prompt ready for the engine: the system preamble and the turns (an `output` start is a partial answer). */
export interface RenderedPrompt {
  id: string;
  system: string;
  turns: ChatTurn[];
  /** The start of the answer written by the template, which the model continues. */
  answerStart: string;
}

const fileName = /^([a-z-]+)\.v(\d+)\.prompt$/;
const placeholder = /\{\{(\w+)\}\}/g;

export class PromptLibrary {
  #templates: Map<PromptName, Template>;

  constructor(templates: Map<PromptName, Template>) {
    this.#templates = templates;
  }

  static load(resourcesDir: string): PromptLibrary {
    const dir = path.join(resourcesDir, 'prompts');
    const newest = new Map<string, { version: number; file: string }>();
    for (const file of fs.readdirSync(dir)) {
      const match = fileName.exec(file);
      if (!match) continue;
      const [, name, version] = match as unknown as [string, string, string];
      if ((newest.get(name)?.version ?? -1) < Number(version))
        newest.set(name, { version: Number(version), file });
    }
    const templates = new Map<PromptName, Template>();
    for (const name of promptNames) {
      const found = newest.get(name);
      if (!found) throw new Error(`No prompt template ${name}.v<N>.prompt in ${dir}.`);
      const text = fs.readFileSync(path.join(dir, found.file), 'utf8');
      templates.set(name, { id: `${name}.v${found.version}`, ...parseTemplate(text, found.file) });
    }
    return new PromptLibrary(templates);
  }

  render(name: PromptName, values: Record<string, string>): RenderedPrompt {
    const template = this.#templates.get(name)!;
    const used = new Set<string>();
    const fill = (text: string) =>
      text.replace(placeholder, (_, key: string) => {
        const value = values[key];
        if (value === undefined) throw new Error(`Prompt ${template.id} needs a value for {{${key}}}.`);
        used.add(key);
        return value;
      });
    const system = fill(template.system);
    const instruct = fill(template.instruct);
    const answerStart = fill(template.output);
    const unused = Object.keys(values).filter((key) => !used.has(key));
    if (unused.length > 0) throw new Error(`Prompt ${template.id} has no place for ${unused.join(', ')}.`);
    const turns: ChatTurn[] = [{ role: 'user', content: instruct }];
    if (answerStart) turns.push({ role: 'assistant', content: answerStart });
    return { id: template.id, system, turns, answerStart };
  }
}

/** Splits a template into its sections; text outside a section other than comments is an error. */
export function parseTemplate(text: string, file: string): Omit<Template, 'id'> {
  const sections: Record<string, string[]> = {};
  let current: string[] | null = null;
  for (const line of splitLines(text)) {
    const header = /^\[(system|instruct|output)\]$/.exec(line.trim());
    if (header) {
      if (sections[header[1]!]) throw new Error(`${file}: [${header[1]}] appears twice.`);
      current = sections[header[1]!] = [];
    } else if (current) current.push(line);
    else if (line.trim() && !line.startsWith('#')) throw new Error(`${file}: text before the first section.`);
  }
  const section = (name: string) => (sections[name] ?? []).join('\n').trim();
  if (!section('instruct')) throw new Error(`${file}: the [instruct] section is missing or empty.`);
  return { system: section('system'), instruct: section('instruct'), output: section('output') };
}
