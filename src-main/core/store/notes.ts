import type Database from 'better-sqlite3';
import { z } from 'zod';
import { AppError } from '../../../src-shared/errors';
import type { Note } from '../../../src-shared/types';
import { parseJson } from './rows';
import { write } from './sqlite-errors';

interface NoteRow {
  id: number;
  title: string;
  body: string;
  tags: string;
  created_at: number;
  updated_at: number;
}

function toNote(row: NoteRow): Note {
  return {
    id: row.id,
    title: row.title,
    body: row.body,
    tags: readTags(row.tags),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Tags read back through a schema: a damaged value reads as no tags. */
function readTags(text: string): string[] {
  const parsed = tagsSchema.safeParse(parseJson<unknown>(text, []));
  return parsed.success ? parsed.data : [];
}

const tagsSchema = z.array(z.string().max(50)).max(50);

/** Markdown notes with tags. */
export class Notes {
  #statements;

  constructor(db: Database.Database) {
    this.#statements = {
      insert: db.prepare(
        `INSERT INTO notes (title, body, tags, created_at, updated_at) VALUES (@title, @body, @tags, @now, @now)`,
      ),
      update: db.prepare(
        `UPDATE notes SET title = @title, body = @body, tags = @tags, updated_at = @now WHERE id = @id`,
      ),
      get: db.prepare<[number], NoteRow>(`SELECT * FROM notes WHERE id = ?`),
      list: db.prepare<[number], NoteRow>(`SELECT * FROM notes ORDER BY updated_at DESC, id DESC LIMIT ?`),
      delete: db.prepare(`DELETE FROM notes WHERE id = ?`),
    };
  }

  create(note: { title: string; body: string; tags: string[] }): Note {
    const id = Number(
      write(() => this.#statements.insert.run({ ...note, tags: JSON.stringify(note.tags), now: Date.now() }))
        .lastInsertRowid,
    );
    return this.get(id);
  }

  update(id: number, note: { title: string; body: string; tags: string[] }): Note {
    const { changes } = write(() =>
      this.#statements.update.run({ id, ...note, tags: JSON.stringify(note.tags), now: Date.now() }),
    );
    if (changes === 0) throw new AppError('not_found', `Note ${id} does not exist.`);
    return this.get(id);
  }

  get(id: number): Note {
    const row = this.#statements.get.get(id);
    if (!row) throw new AppError('not_found', `Note ${id} does not exist.`);
    return toNote(row);
  }

  list(limit: number): Note[] {
    return this.#statements.list.all(limit).map(toNote);
  }

  delete(id: number): boolean {
    return write(() => this.#statements.delete.run(id)).changes > 0;
  }
}
