/** Small pure helpers of the Notes view: the folder tree, what a typed folder or tag becomes, times. */

export interface FolderNode {
  /** The whole path ("Physics/Mechanics"), as notes carry it. */
  path: string;
  /** The last part ("Mechanics"). */
  name: string;
  children: FolderNode[];
}

/** The tree of folders from their paths; a parent missing from the list is added. Sorted by name. */
export function folderTree(folders: readonly string[]): FolderNode[] {
  const roots: FolderNode[] = [];
  const byPath = new Map<string, FolderNode>();
  const nodeFor = (path: string): FolderNode => {
    const known = byPath.get(path);
    if (known) return known;
    const cut = path.lastIndexOf('/');
    const node: FolderNode = { path, name: path.slice(cut + 1), children: [] };
    byPath.set(path, node);
    (cut === -1 ? roots : nodeFor(path.slice(0, cut)).children).push(node);
    return node;
  };
  for (const folder of folders) if (folder !== '') nodeFor(folder);
  const sort = (nodes: FolderNode[]): FolderNode[] => {
    nodes.sort((a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base', numeric: true }));
    for (const node of nodes) sort(node.children);
    return nodes;
  };
  return sort(roots);
}

/** A folder as typed ("/ Physics // Mechanics/") in the form the contract takes ("Physics/Mechanics"). */
export function normaliseFolder(typed: string): string {
  return typed
    .split(/[/\\]/)
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
    .join('/');
}

/** The folder and each folder above it: "A/B/C" → ["A", "A/B", "A/B/C"]. */
export function folderAncestors(folder: string): string[] {
  if (folder === '') return [];
  const parts = folder.split('/');
  return parts.map((_, index) => parts.slice(0, index + 1).join('/'));
}

export const maxTagChars = 50;
export const maxTags = 50;

/** A tag as typed ("#Physics ") as it is kept ("Physics"); '' when nothing is left. */
export function normaliseTag(typed: string): string {
  return typed.trim().replace(/^#+/, '').trim().slice(0, maxTagChars);
}

/** Adds typed tags (comma-separated) to a list, skipping empty ones and any already there (any case). */
export function addTags(tags: readonly string[], typed: string): string[] {
  const next = [...tags];
  for (const part of typed.split(',')) {
    const tag = normaliseTag(part);
    if (tag && next.length < maxTags && !next.some((known) => known.toLowerCase() === tag.toLowerCase())) {
      next.push(tag);
    }
  }
  return next;
}

/** When a note changed, short: "just now", "5 min ago", "14:05", "Mar 3", "Mar 3, 2023". */
export function formatWhen(time: number, now = Date.now()): string {
  const minutes = Math.floor((now - time) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const date = new Date(time);
  const today = new Date(now);
  if (date.toDateString() === today.toDateString()) {
    return date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  }
  const yesterday = new Date(now);
  yesterday.setDate(yesterday.getDate() - 1);
  if (date.toDateString() === yesterday.toDateString()) return 'Yesterday';
  return date.toLocaleDateString(undefined, {
    month: 'short',
    day: 'numeric',
    ...(date.getFullYear() === today.getFullYear() ? {} : { year: 'numeric' }),
  });
}

/** The file name at the end of a path, whichever separator it uses. */
export function baseName(path: string): string {
  return path.split(/[\\/]/).filter(Boolean).pop() ?? path;
}

/** The paths typed one per line, trimmed, blank lines and repeats dropped. */
export function typedPaths(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter(Boolean),
    ),
  ];
}
