import fs from 'node:fs';
import path from 'node:path';
import { loadProblemBank, type ProblemBank } from '../core/tutor/problem-bank';
import { PromptLibrary } from '../core/tutor/prompts';

/**
 * The app's resources folder, found above this file: `out/main/` when built, `src-main/cli/` under tsx.
 */
export function findResourcesDir(from: string = import.meta.dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'resources');
    if (fs.existsSync(path.join(candidate, 'prompts'))) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`No resources folder above ${from}.`);
  }
}

export function loadTutorResources(): { bank: ProblemBank; prompts: PromptLibrary } {
  const dir = findResourcesDir();
  return { bank: loadProblemBank(path.join(dir, 'problems')), prompts: PromptLibrary.load(dir) };
}
