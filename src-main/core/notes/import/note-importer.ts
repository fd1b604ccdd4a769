/**
 * Imports notes from files and folders (issue 12): each file becomes a note, or updates the note it became
 * last time when its bytes changed (found by its real path, told apart by SHA-256), or is left alone when
 * they did not. A bad file never stops the import: it lands in the report with its reason and the next
 * goes on (TEST-CATALOG I14). Cancelling stops between files, and the report says what was done.
 *
 * The notes are written through an `ImportSink` (the store), so the importer knows files, not tables.
 */
import { AppError } from '../../../../src-shared/errors';
import type { ImportReport, NoteSource } from '../../../../src-shared/notes';
import { collectImportFiles, joinFolder, type CollectedFile } from './collect-files';
import { ImportRefusal } from './import-errors';
import { loadNoteFile, parseNoteFile } from './read-note-file';

/** A note as a file gives it. */
export interface ImportedNote {
  title: string;
  body: string;
  source: NoteSource;
  pageLines: number[] | null;
}

/** Where imported notes are written: the notes store. */
export interface ImportSink {
  /** The note last imported from this real path, if it still exists. */
  findBySource(path: string): { id: number; sha256: string } | null;
  createImported(note: ImportedNote & { folder: string }): { id: number };
  /** Re-import: the note keeps its id, folder and tags. */
  updateImported(id: number, note: ImportedNote): void;
}

export interface ImportProgress {
  /** Files finished. */
  done: number;
  total: number;
  /** The file being read now ('' once all are done). */
  current: string;
}

export interface NoteImporterOptions {
  sink: ImportSink;
  /** Folders files may be imported from (after links). */
  roots: readonly string[];
  /** Called before each file and once at the end; throttling is the caller's concern. */
  onProgress?: (progress: ImportProgress) => void;
  /** Files one import takes at most. */
  maxFiles?: number;
}

export class NoteImporter {
  readonly #options: NoteImporterOptions;
  /** Set while an import runs: it cancels that import. */
  #running: AbortController | null = null;

  constructor(options: NoteImporterOptions) {
    this.#options = options;
  }

  get importing(): boolean {
    return this.#running !== null;
  }

  /** Stops the running import after its current file; false when none runs. */
  cancel(): boolean {
    if (!this.#running) return false;
    this.#running.abort();
    return true;
  }

  /** Imports into `folder` ('' for the top); one import at a time, a second one is refused as busy. */
  async import(paths: string[], options: { folder: string; signal?: AbortSignal }): Promise<ImportReport> {
    if (this.#running)
      throw new AppError('busy', 'An import is already under way: wait for it to finish, or cancel it.');
    const controller = new AbortController();
    this.#running = controller;
    const signal = options.signal ? AbortSignal.any([options.signal, controller.signal]) : controller.signal;
    try {
      return await this.#importAll(paths, options.folder, signal);
    } finally {
      this.#running = null;
    }
  }

  async #importAll(paths: string[], folder: string, signal: AbortSignal): Promise<ImportReport> {
    const { roots, maxFiles, onProgress } = this.#options;
    const report: ImportReport = {
      imported: 0,
      updated: 0,
      unchanged: 0,
      failed: [],
      noteIds: [],
      cancelled: false,
    };
    const { files, refused } = await collectImportFiles(paths, { roots, maxFiles, signal });
    report.failed.push(...refused);
    // Aborted while collecting: the files found may not be all there are.
    const collectedAll = !signal.aborted;
    let done = 0;
    for (const file of files) {
      if (signal.aborted) break;
      onProgress?.({ done, total: files.length, current: file.path });
      try {
        await this.#importFile(file, folder, report);
      } catch (error) {
        report.failed.push({ path: file.path, reason: reasonOf(error) });
      }
      done++;
    }
    report.cancelled = !collectedAll || done < files.length;
    onProgress?.({ done, total: files.length, current: '' });
    return report;
  }

  async #importFile(file: CollectedFile, folder: string, report: ImportReport): Promise<void> {
    const { sink } = this.#options;
    const loaded = await loadNoteFile(file.path);
    const existing = sink.findBySource(file.path);
    // Unchanged bytes: not even parsed again (a long PDF takes seconds).
    if (existing?.sha256 === loaded.sha256) {
      report.unchanged++;
      return;
    }
    const { title, body, kind, sha256, pageLines } = await parseNoteFile(file.path, loaded);
    const note: ImportedNote = { title, body, source: { path: file.path, kind, sha256 }, pageLines };
    if (existing) {
      sink.updateImported(existing.id, note);
      report.updated++;
      report.noteIds.push(existing.id);
    } else {
      const { id } = sink.createImported({ ...note, folder: joinFolder(folder, file.folder) });
      report.imported++;
      report.noteIds.push(id);
    }
  }
}

function reasonOf(error: unknown): string {
  if (error instanceof ImportRefusal) return error.reason;
  if (error instanceof AppError) return error.message;
  return `It could not be imported: ${error instanceof Error ? error.message : String(error)}`;
}
