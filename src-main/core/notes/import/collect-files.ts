/**
 * The files one import takes: each chosen path is a file or a folder, walked to its depths. Every path is
 * resolved through its links and must stay inside the allowed folders (TEST-CATALOG S4, S8); a link in a
 * folder is followed only while it leads somewhere inside that folder, and nothing is visited twice, so a
 * link loop ends. A problem with one path is reported for it, never thrown, and the walk goes on.
 *
 * Each file keeps the sub-folder it was found in, under the chosen folder's own name, so importing
 * ~/Notes/Physics puts ~/Notes/Physics/Waves/a.md in the notes folder "Physics/Waves".
 */
import fs from 'node:fs';
import path from 'node:path';
import { limits } from '../../../../src-shared/limits';
import { resolveUserPath } from '../../files/user-paths';
import { fsRefusal } from './import-errors';
import { noteFileKind, unsupportedFileReason } from './note-file-kinds';

export interface CollectRules {
  /** Folders every chosen path must be inside, after its links are resolved. */
  roots: readonly string[];
  /** Files taken at most; the rest are reported as one refused entry. */
  maxFiles?: number;
  /** Stops the walk between folders; what was found so far is returned. */
  signal?: AbortSignal;
}

export interface CollectedFile {
  /** The real path (links resolved). */
  path: string;
  /** The notes folder it goes to, '/'-separated: '' for a file chosen by itself. */
  folder: string;
}

export interface RefusedPath {
  path: string;
  reason: string;
}

export interface CollectedFiles {
  /** Sorted by path. */
  files: CollectedFile[];
  refused: RefusedPath[];
}

/** Folders a walk never enters besides hidden ones (.git, .obsidian): installed code, not notes. */
const skippedFolders = new Set(['node_modules']);

export async function collectImportFiles(paths: string[], rules: CollectRules): Promise<CollectedFiles> {
  const maxFiles = rules.maxFiles ?? limits.importFiles;
  // By real path: a file reached twice (named and inside a named folder, or through a link) counts once.
  const found = new Map<string, CollectedFile & { chosen: string }>();
  const refused: RefusedPath[] = [];
  for (const chosen of paths) {
    if (rules.signal?.aborted) break;
    const add = (file: CollectedFile) => {
      if (!found.has(file.path)) found.set(file.path, { ...file, chosen });
    };
    await collectOne(chosen, rules, add, refused);
  }

  const sorted = [...found.values()].sort((a, b) => compare(a.path, b.path));
  refused.sort((a, b) => compare(a.path, b.path));
  const left = sorted.slice(maxFiles);
  if (left.length > 0) {
    refused.push({
      path: left[0]!.chosen,
      reason: `…and ${left.length} more ${left.length === 1 ? 'file' : 'files'}: import at most ${maxFiles} at a time.`,
    });
  }
  return { files: sorted.slice(0, maxFiles).map(({ path, folder }) => ({ path, folder })), refused };
}

async function collectOne(
  chosen: string,
  rules: CollectRules,
  add: (file: CollectedFile) => void,
  refused: RefusedPath[],
): Promise<void> {
  let real: string;
  let stats: fs.Stats;
  try {
    real = resolveUserPath(chosen, { roots: rules.roots, mode: 'existing' });
  } catch (error) {
    refused.push({ path: chosen, reason: error instanceof Error ? error.message : String(error) });
    return;
  }
  try {
    stats = await fs.promises.stat(real);
  } catch (error) {
    refused.push({ path: chosen, reason: fsRefusal(error, 'file').reason });
    return;
  }
  if (stats.isDirectory()) {
    // The name it was chosen by, which is what the person sees, even when it is a link.
    const name = path.basename(path.resolve(chosen)) || path.basename(real);
    await walkFolder(real, name, rules.signal, add, refused);
  } else if (!stats.isFile()) {
    refused.push({ path: chosen, reason: 'This is neither a file nor a folder.' });
  } else if (!noteFileKind(real)) {
    refused.push({ path: chosen, reason: unsupportedFileReason(real) });
  } else {
    add({ path: real, folder: '' });
  }
}

/** Every note file under `top` (a real path), other files left out without a word. */
async function walkFolder(
  top: string,
  name: string,
  signal: AbortSignal | undefined,
  add: (file: CollectedFile) => void,
  refused: RefusedPath[],
): Promise<void> {
  const inside = (target: string) => target === top || target.startsWith(withSeparator(top));
  const folderOf = (file: string) =>
    joinFolder(name, ...path.relative(top, path.dirname(file)).split(path.sep));
  const addFile = (file: string) => {
    if (noteFileKind(file)) add({ path: file, folder: folderOf(file) });
  };
  // Real paths only: a folder reached again through a link is not walked again.
  const visited = new Set([top]);
  const pending = [top];
  const enter = (folder: string) => {
    if (visited.has(folder)) return;
    visited.add(folder);
    pending.push(folder);
  };
  const followLink = async (link: string) => {
    const target = await linkTarget(link);
    if (!target) {
      if (noteFileKind(link))
        refused.push({ path: link, reason: 'This link leads nowhere (its target is missing).' });
      return;
    }
    // A link to some other kind of file is left out, like that file would be.
    if (!target.stats.isDirectory() && !noteFileKind(target.path)) return;
    if (!inside(target.path)) {
      refused.push({
        path: link,
        reason: `This link leads outside the folder (to ${target.path}), so it was not followed.`,
      });
    } else if (target.stats.isDirectory()) enter(target.path);
    else if (target.stats.isFile()) addFile(target.path);
  };

  while (pending.length > 0 && !signal?.aborted) {
    const folder = pending.pop()!;
    let entries: fs.Dirent[];
    try {
      entries = await fs.promises.readdir(folder, { withFileTypes: true });
    } catch (error) {
      refused.push({ path: folder, reason: fsRefusal(error, 'folder').reason });
      continue;
    }
    for (const entry of entries) {
      // Hidden files too: macOS leaves `._name.md` files that are not text.
      if (entry.name.startsWith('.') || skippedFolders.has(entry.name)) continue;
      // `folder` is real and this entry is no link, so the joined path is real too.
      const at = path.join(folder, entry.name);
      if (entry.isDirectory()) enter(at);
      else if (entry.isFile()) addFile(at);
      else if (entry.isSymbolicLink()) await followLink(at);
    }
  }
}

/** Where a link leads (its real path) and what is there, or null for a broken link. */
async function linkTarget(link: string): Promise<{ path: string; stats: fs.Stats } | null> {
  try {
    const real = await fs.promises.realpath(link);
    return { path: real, stats: await fs.promises.stat(real) };
  } catch {
    return null;
  }
}

/** Folder names joined with '/', each trimmed, empty ones dropped: "Physics/Waves", or '' for the top. */
export function joinFolder(...parts: string[]): string {
  return parts
    .flatMap((part) => part.split('/'))
    .map((part) => part.trim())
    .filter(Boolean)
    .join('/');
}

function withSeparator(folder: string): string {
  return folder.endsWith(path.sep) ? folder : folder + path.sep;
}

/** By UTF-16 code units: the same order on every machine, whatever its locale. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
