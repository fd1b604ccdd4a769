/** Which files a note can be imported from, told by their extension. */
import path from 'node:path';
import type { NoteSource } from '../../../../src-shared/notes';

export type NoteFileKind = NoteSource['kind'];

const kindsByExtension: Readonly<Record<string, NoteFileKind>> = {
  '.md': 'md',
  '.markdown': 'md',
  '.txt': 'txt',
  '.pdf': 'pdf',
};

/** The kind of note a file gives, or null for a file that cannot be imported. */
export function noteFileKind(file: string): NoteFileKind | null {
  return kindsByExtension[path.extname(file).toLowerCase()] ?? null;
}

export function unsupportedFileReason(file: string): string {
  const extension = path.extname(file);
  return `Only .md, .markdown, .txt and .pdf files can be imported (${
    extension ? `this is a ${extension} file` : 'this file has no extension'
  }).`;
}
