/**
 * Notes as the user works with them: writing, folders, the bin, export and import. Every change tells the
 * views (`notes.changed`) and the index (which re-reads only the notes whose revision moved).
 */
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../../src-shared/errors';
import type { ImportReport, Note } from '../../../src-shared/notes';
import type { EventBus } from '../event-bus';
import { fileNameFor } from '../files/file-name';
import type { Store } from '../store/store';
import type { NoteFields } from '../store/notes';
import { NoteImporter } from './import/note-importer';
import type { NoteIndexer } from './note-indexer';

export interface NotesServiceOptions {
  store: Store;
  bus: EventBus;
  indexer: NoteIndexer;
  /** Folders notes may be imported from and exported to (after links). */
  roots: readonly string[];
}

export class NotesService {
  #options: NotesServiceOptions;
  #importer: NoteImporter;

  constructor(options: NotesServiceOptions) {
    this.#options = options;
    this.#importer = new NoteImporter({
      sink: options.store.notes,
      roots: options.roots,
      onProgress: (progress) => options.indexer.setImportProgress(progress),
    });
  }

  get #notes() {
    return this.#options.store.notes;
  }

  create(fields: NoteFields): Note {
    return this.#changed(this.#notes.create(fields));
  }

  update(id: number, patch: Partial<NoteFields>): Note {
    return this.#changed(this.#notes.update(id, patch));
  }

  duplicate(id: number): Note {
    return this.#changed(this.#notes.duplicate(id));
  }

  delete(ids: number[]): { deleted: number } {
    const deleted = this.#notes.delete(ids);
    this.#announce(ids);
    return { deleted };
  }

  restore(ids: number[]): { restored: number } {
    const restored = this.#notes.restore(ids);
    this.#announce(ids);
    return { restored };
  }

  /** One note as a Markdown file: its title as the first heading unless the body starts with one. */
  export(id: number): { fileName: string; mimeType: string; content: string } {
    const note = this.#notes.get(id);
    return {
      fileName: `${fileNameFor(note.title, 'note')}.md`,
      mimeType: 'text/markdown',
      content: markdownOf(note),
    };
  }

  /**
   * Writes the notes (of one folder and its sub-folders, or all) as `.md` files under `directory`, in their
   * folders. Files are created, never replaced and never written through a link: a name already taken
   * gets a number.
   */
  exportFolder(directory: string, folder: string | undefined): { written: number; directory: string } {
    const target = this.#exportDirectory(directory);
    const { notes } = this.#notes.list({ folder, sort: 'title', limit: 100_000 });
    for (const summary of notes) {
      const note = this.#notes.get(summary.id);
      const relative = folder ? note.folder.slice(folder.length).replace(/^\//, '') : note.folder;
      const parts = relative ? relative.split('/').map((part) => fileNameFor(part, 'folder')) : [];
      const dir = makeFolders(target, parts);
      writeNew(dir, fileNameFor(note.title, 'note'), markdownOf(note));
    }
    return { written: notes.length, directory: target };
  }

  /** Imports files or folders; one import at a time, cancelled by `cancelImport`. */
  async import(paths: string[], folder: string): Promise<ImportReport> {
    try {
      const report = await this.#importer.import(paths, { folder });
      this.#announce(report.noteIds);
      return report;
    } finally {
      this.#options.indexer.setImportProgress(null);
    }
  }

  cancelImport(): { cancelled: boolean } {
    return { cancelled: this.#importer.cancel() };
  }

  #exportDirectory(given: string): string {
    if (!path.isAbsolute(given)) throw new AppError('invalid_input', `Use a full path (got "${given}").`);
    const resolved = path.resolve(given);
    let parent: string;
    try {
      parent = fs.realpathSync(path.dirname(resolved));
    } catch {
      throw new AppError('not_found', `The folder ${path.dirname(resolved)} does not exist.`);
    }
    const target = path.join(parent, path.basename(resolved));
    const roots = this.#options.roots.map((root) => realOrSelf(root));
    if (!roots.some((root) => target.startsWith(root + path.sep))) {
      throw new AppError('invalid_input', `${resolved} is outside the folders Phidesk may use.`);
    }
    return makeFolders(parent, [path.basename(resolved)]);
  }

  #changed(note: Note): Note {
    this.#announce([note.id]);
    return note;
  }

  #announce(ids: number[]): void {
    this.#options.bus.emit('notes.changed', { ids });
    this.#options.indexer.kick();
  }
}

function markdownOf(note: Note): string {
  const startsWithHeading = /^\s*# /.test(note.body);
  const heading = note.title && !startsWithHeading ? `# ${note.title}\n\n` : '';
  return `${heading}${note.body}${note.body.endsWith('\n') ? '' : '\n'}`;
}

/** Creates each folder in turn under `base`, refusing one that is a link (it would lead elsewhere). */
function makeFolders(base: string, parts: string[]): string {
  let dir = base;
  for (const part of parts) {
    dir = path.join(dir, part);
    fs.mkdirSync(dir, { recursive: true });
    if (fs.lstatSync(dir).isSymbolicLink())
      throw new AppError('invalid_input', `${dir} is a link; export into a folder that is not a link.`);
  }
  return dir;
}

/** Writes `<name>.md`, or `<name> 2.md` and so on when taken; `wx` never follows or replaces anything. */
function writeNew(dir: string, name: string, content: string): void {
  for (let n = 1; n < 10_000; n++) {
    const file = path.join(dir, `${n === 1 ? name : `${name} ${n}`}.md`);
    try {
      fs.writeFileSync(file, content, { flag: 'wx' });
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  throw new AppError('invalid_input', `Too many files named ${name} in ${dir}.`);
}

function realOrSelf(folder: string): string {
  try {
    return fs.realpathSync(folder);
  } catch {
    return path.resolve(folder);
  }
}
