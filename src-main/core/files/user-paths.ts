/**
 * Paths a person typed (browser mode) or the renderer sent: resolved through symlinks and accepted only
 * inside the folders Phidesk may use (TEST-CATALOG S4). In the desktop app most paths come from the
 * system's file dialogs, in main, and never from the renderer.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppError } from '../../../src-shared/errors';

export interface PathRules {
  /**
   * Folders the path must be inside (after resolving symlinks). Reading a file the person picked may be
   * allowed `anywhere` (models live on other drives); writing is always confined.
   */
  roots: readonly string[] | 'anywhere';
  /**
   * `file`: must exist; `existing`: a file or a folder that exists (what to import from); `new`: its folder
   * must exist (a file may be created or replaced).
   */
  mode: 'file' | 'existing' | 'new';
  /** Accepted extensions, with the dot. */
  extensions?: readonly string[];
}

/** The usual places: the user's home, the temporary folder, and the data folder. */
export function defaultRoots(dataDir: string): string[] {
  return [os.homedir(), os.tmpdir(), dataDir];
}

/**
 * The real path for `given`, or a typed error. Every link is resolved, the last component too: an
 * existing file is read through its links only when where they lead is allowed, and a path to be written
 * must not be a link at all (writing through it would land wherever it points; TEST-CATALOG S8).
 */
export function resolveUserPath(given: string, rules: PathRules): string {
  if (given.includes('\0')) throw new AppError('invalid_input', 'A path cannot contain a NUL character.');
  if (!path.isAbsolute(given)) throw new AppError('invalid_input', `Use a full path (got "${given}").`);
  const normalised = path.resolve(given);
  if (rules.extensions && !rules.extensions.includes(path.extname(normalised).toLowerCase())) {
    throw new AppError('invalid_input', `The file must end with ${rules.extensions.join(' or ')}.`);
  }
  let real: string;
  try {
    real =
      rules.mode !== 'new'
        ? fs.realpathSync(normalised)
        : path.join(fs.realpathSync(path.dirname(normalised)), path.basename(normalised));
  } catch {
    throw new AppError(
      'not_found',
      rules.mode === 'file'
        ? `No file at ${normalised}.`
        : rules.mode === 'existing'
          ? `Nothing at ${normalised}.`
          : `The folder ${path.dirname(normalised)} does not exist.`,
    );
  }
  // A link named model.gguf must lead to a .gguf file too.
  if (rules.extensions && !rules.extensions.includes(path.extname(real).toLowerCase())) {
    throw new AppError(
      'invalid_input',
      `${normalised} leads to ${real}, which does not end with ${rules.extensions.join(' or ')}.`,
    );
  }
  if (rules.roots === 'anywhere' && rules.mode !== 'file')
    throw new Error('only existing files may be read from anywhere');
  const roots = rules.roots === 'anywhere' ? null : rules.roots.map((root) => safeRealpath(root));
  if (roots && !roots.some((root) => real === root || real.startsWith(root + path.sep))) {
    throw new AppError('invalid_input', `${normalised} is outside the folders Phidesk may use.`);
  }
  if (rules.mode === 'file' && !fs.statSync(real).isFile())
    throw new AppError('invalid_input', `${normalised} is not a file.`);
  if (rules.mode === 'new') {
    const existing = lstatOrNull(real);
    if (existing?.isSymbolicLink())
      throw new AppError('invalid_input', `${normalised} is a link; choose a file that is not a link.`);
    if (existing && !existing.isFile()) throw new AppError('invalid_input', `${normalised} is a folder.`);
  }
  return real;
}

function lstatOrNull(file: string): fs.Stats | null {
  try {
    return fs.lstatSync(file);
  } catch {
    return null;
  }
}

function safeRealpath(folder: string): string {
  try {
    return fs.realpathSync(folder);
  } catch {
    return path.resolve(folder);
  }
}
