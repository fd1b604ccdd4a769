import type Database from 'better-sqlite3';
import { z } from 'zod';
import { AppError } from '../../../src-shared/errors';
import type { Note, NoteList, NoteSort, NoteSource, NoteSummary } from '../../../src-shared/notes';
import { parseJson } from './rows';
import { buildMatchQuery } from './search-text';
import { write } from './sqlite-errors';

interface NoteRow {
  id: number;
  title: string;
  tags: string;
  folder: string;
  preview: string;
  source_path: string | null;
  source_kind: NoteSource['kind'] | null;
  source_sha256: string | null;
  created_at: number;
  updated_at: number;
  revision: number;
  indexed_revision: number;
}

interface FullNoteRow extends NoteRow {
  body: string;
  page_lines: string | null;
}

/** What the index reads of a note that changed since it was last indexed. */
export interface NoteToIndex {
  id: number;
  revision: number;
  title: string;
  body: string;
  pageLines: number[] | null;
}

export interface NoteFields {
  title: string;
  body: string;
  tags: string[];
  folder: string;
}

export interface ImportedNote {
  title: string;
  body: string;
  source: NoteSource;
  pageLines: number[] | null;
}

const previewChars = 160;
const summaryColumns = `id, title, tags, folder, substr(body, 1, ${previewChars}) AS preview, source_path, source_kind,
  source_sha256, created_at, updated_at, revision, indexed_revision`;
const orderBy: Record<NoteSort, string> = {
  updated: 'updated_at DESC, id DESC',
  created: 'created_at DESC, id DESC',
  title: `title = '' , title COLLATE NOCASE, id`,
};

/** Markdown notes in folders, with tags; deleted notes wait in a bin until the next start. */
export class Notes {
  #db: Database.Database;
  #statements;

  constructor(db: Database.Database) {
    this.#db = db;
    this.#statements = {
      insert: db.prepare(
        `INSERT INTO notes (title, body, tags, folder, source_path, source_kind, source_sha256, page_lines,
                            created_at, updated_at)
         VALUES (@title, @body, @tags, @folder, @sourcePath, @sourceKind, @sourceSha256, @pageLines, @now, @now)`,
      ),
      // A change of title or body is a new revision, which the index will read again.
      update: db.prepare(
        `UPDATE notes SET revision = revision + (title != @title OR body != @body),
           title = @title, body = @body, tags = @tags, folder = @folder, updated_at = @now
         WHERE id = @id AND deleted_at IS NULL`,
      ),
      updateImported: db.prepare(
        `UPDATE notes SET revision = revision + 1, title = @title, body = @body, source_path = @sourcePath,
           source_kind = @sourceKind, source_sha256 = @sourceSha256, page_lines = @pageLines, updated_at = @now
         WHERE id = @id`,
      ),
      get: db.prepare<[number], FullNoteRow>(
        `SELECT ${summaryColumns}, body, page_lines FROM notes WHERE id = ? AND deleted_at IS NULL`,
      ),
      bySource: db.prepare<[string], { id: number; sha256: string; deleted: 0 | 1 }>(
        `SELECT id, source_sha256 AS sha256, deleted_at IS NOT NULL AS deleted FROM notes WHERE source_path = ?`,
      ),
      folders: db.prepare<[], string>(`SELECT DISTINCT folder FROM notes WHERE deleted_at IS NULL`).pluck(),
      tags: db.prepare<[], { tag: string; count: number }>(
        `SELECT tag.value AS tag, count(*) AS count FROM notes, json_each(notes.tags) AS tag
         WHERE notes.deleted_at IS NULL AND json_valid(notes.tags) AND tag.type = 'text'
         GROUP BY tag.value ORDER BY count DESC, tag.value`,
      ),
      setDeleted: db.prepare(`UPDATE notes SET deleted_at = @deletedAt WHERE id = @id`),
      purge: db.prepare(`DELETE FROM notes WHERE deleted_at IS NOT NULL`),
      toIndex: db.prepare<[], Omit<FullNoteRow, 'preview'>>(
        `SELECT id, revision, title, body, page_lines FROM notes
         WHERE indexed_revision != revision AND deleted_at IS NULL ORDER BY id LIMIT 1`,
      ),
      markIndexed: db.prepare(
        `UPDATE notes SET indexed_revision = @revision WHERE id = @id AND revision = @revision`,
      ),
      counts: db.prepare<[], { total: number; indexed: number }>(
        `SELECT count(*) AS total, coalesce(sum(indexed_revision = revision), 0) AS indexed
         FROM notes WHERE deleted_at IS NULL`,
      ),
    };
  }

  /** Notes without their bodies: in a folder (and its sub-folders), with a tag, matching words. */
  list(filter: { folder?: string; tag?: string; query?: string; sort: NoteSort; limit: number }): NoteList {
    const where = ['deleted_at IS NULL'];
    const params: Record<string, string | number> = { limit: filter.limit };
    if (filter.folder !== undefined && filter.folder !== '') {
      where.push(`(folder = @folder OR substr(folder, 1, length(@folder) + 1) = @folder || '/')`);
      params.folder = filter.folder;
    }
    if (filter.tag) {
      where.push(`json_valid(tags) AND EXISTS (SELECT 1 FROM json_each(notes.tags) WHERE value = @tag)`);
      params.tag = filter.tag;
    }
    const match = filter.query ? buildMatchQuery(filter.query) : null;
    if (match) {
      where.push(`id IN (SELECT rowid FROM notes_fts WHERE notes_fts MATCH @match)`);
      params.match = match;
    }
    const rows = this.#db
      .prepare<Record<string, string | number>, NoteRow>(
        `SELECT ${summaryColumns} FROM notes WHERE ${where.join(' AND ')} ORDER BY ${orderBy[filter.sort]} LIMIT @limit`,
      )
      .all(params);
    return { notes: rows.map(toSummary), folders: this.folders(), tags: this.#statements.tags.all() };
  }

  /** Every folder holding a note, and each of their parents, sorted. */
  folders(): string[] {
    const all = new Set<string>();
    for (const folder of this.#statements.folders.all()) {
      const parts = folder.split('/');
      for (let depth = 1; depth <= parts.length; depth++) all.add(parts.slice(0, depth).join('/'));
    }
    all.delete('');
    return [...all].sort((a, b) => a.localeCompare(b));
  }

  get(id: number): Note {
    const row = this.#statements.get.get(id);
    if (!row) throw new AppError('not_found', `Note ${id} does not exist.`);
    return toNote(row);
  }

  create(note: NoteFields): Note {
    return this.get(this.#insert({ ...note, source: null, pageLines: null }));
  }

  /** Changes what `patch` gives; the rest stays. */
  update(id: number, patch: Partial<NoteFields>): Note {
    const current = this.get(id);
    const next = { ...current, ...patch };
    write(() =>
      this.#statements.update.run({
        id,
        title: next.title,
        body: next.body,
        tags: JSON.stringify(next.tags),
        folder: next.folder,
        now: Date.now(),
      }),
    );
    return this.get(id);
  }

  /** A copy beside the original, written (not imported): it has no source. */
  duplicate(id: number): Note {
    const { title, body, tags, folder } = this.get(id);
    return this.create({ title: title ? `${title} (copy)` : '', body, tags, folder });
  }

  /** Moves notes to the bin; returns how many were there to move. */
  delete(ids: number[]): number {
    return this.#setDeleted(ids, Date.now());
  }

  /** Takes notes back out of the bin (Undo). */
  restore(ids: number[]): number {
    return this.#setDeleted(ids, null);
  }

  /** Empties the bin (at startup, once no Undo can come). */
  purgeDeleted(): number {
    return write(() => this.#statements.purge.run()).changes;
  }

  // --- Imports (see notes/import/note-importer.ts) ----------------------------------------------------

  /** The note imported from this file, if any; one in the bin comes back out (importing it again says so). */
  findBySource(path: string): { id: number; sha256: string } | null {
    const row = this.#statements.bySource.get(path);
    if (!row) return null;
    if (row.deleted) this.restore([row.id]);
    return { id: row.id, sha256: row.sha256 };
  }

  createImported(note: ImportedNote & { folder: string }): { id: number } {
    return { id: this.#insert({ ...note, tags: [] }) };
  }

  /** A changed file: new text, same note (its folder and tags stay). */
  updateImported(id: number, note: ImportedNote): void {
    write(() => this.#statements.updateImported.run({ id, ...sourceColumns(note), now: Date.now() }));
  }

  // --- The index (see notes/note-indexer.ts) --------------------------------------------------------

  /** The next note whose current revision the index has not read, oldest first. */
  nextToIndex(): NoteToIndex | null {
    const row = this.#statements.toIndex.get();
    if (!row) return null;
    return {
      id: row.id,
      revision: row.revision,
      title: row.title,
      body: row.body,
      pageLines: readPageLines(row.page_lines),
    };
  }

  /** Records that the index holds `revision`; false when the note changed meanwhile (it stays to index). */
  markIndexed(id: number, revision: number): boolean {
    return write(() => this.#statements.markIndexed.run({ id, revision })).changes > 0;
  }

  indexCounts(): { total: number; indexed: number } {
    return this.#statements.counts.get() ?? { total: 0, indexed: 0 };
  }

  #insert(note: NoteFields & { source: NoteSource | null; pageLines: number[] | null }): number {
    const row = {
      tags: JSON.stringify(note.tags),
      folder: note.folder,
      ...sourceColumns(note),
      now: Date.now(),
    };
    return Number(write(() => this.#statements.insert.run(row)).lastInsertRowid);
  }

  #setDeleted(ids: number[], deletedAt: number | null): number {
    return write(() =>
      this.#db.transaction(() =>
        ids.reduce((changed, id) => changed + this.#statements.setDeleted.run({ id, deletedAt }).changes, 0),
      )(),
    );
  }
}

function sourceColumns(note: {
  title: string;
  body: string;
  source: NoteSource | null;
  pageLines: number[] | null;
}) {
  return {
    title: note.title,
    body: note.body,
    sourcePath: note.source?.path ?? null,
    sourceKind: note.source?.kind ?? null,
    sourceSha256: note.source?.sha256 ?? null,
    pageLines: note.pageLines ? JSON.stringify(note.pageLines) : null,
  };
}

function toSummary(row: NoteRow): NoteSummary {
  return {
    id: row.id,
    title: row.title,
    folder: row.folder,
    tags: readTags(row.tags),
    preview: row.preview,
    source:
      row.source_path && row.source_kind && row.source_sha256
        ? { path: row.source_path, kind: row.source_kind, sha256: row.source_sha256 }
        : null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    revision: row.revision,
    indexed: row.indexed_revision === row.revision,
  };
}

function toNote(row: FullNoteRow): Note {
  return { ...toSummary(row), body: row.body, pageLines: readPageLines(row.page_lines) };
}

/** Tags read back through a schema: a damaged value reads as no tags. */
function readTags(text: string): string[] {
  const parsed = tagsSchema.safeParse(parseJson<unknown>(text, []));
  return parsed.success ? parsed.data : [];
}

const tagsSchema = z.array(z.string().max(50)).max(50);
const pageLinesSchema = z.array(z.int().positive()).max(100_000);

/** Page starts read back through a schema: a damaged value reads as none (citations then give lines). */
function readPageLines(text: string | null): number[] | null {
  if (text === null) return null;
  const parsed = pageLinesSchema.safeParse(parseJson<unknown>(text, null));
  return parsed.success ? parsed.data : null;
}
