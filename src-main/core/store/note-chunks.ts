import type Database from 'better-sqlite3';
import { z } from 'zod';
import { parseJson } from './rows';
import { write } from './sqlite-errors';

/** A chunk as the index writes it (see notes/chunk-note.ts), with the pages of an imported PDF. */
export interface ChunkToSave {
  text: string;
  headingPath: string[];
  lineStart: number;
  lineEnd: number;
  pageStart: number | null;
  pageEnd: number | null;
}

export interface StoredChunk extends ChunkToSave {
  id: number;
  noteId: number;
  title: string;
}

interface ChunkRow {
  id: number;
  note_id: number;
  title: string;
  text: string;
  heading_path: string;
  line_start: number;
  line_end: number;
  page_start: number | null;
  page_end: number | null;
}

const chunkColumns = `c.id, c.note_id, n.title, c.text, c.heading_path, c.line_start, c.line_end, c.page_start, c.page_end`;
/** Chunks of notes in the bin are never found. */
const liveNote = `JOIN notes n ON n.id = c.note_id AND n.deleted_at IS NULL`;

/** The pieces of notes the notes assistant searches, with their keyword index and their vectors. */
export class NoteChunks {
  #db: Database.Database;
  #statements;

  constructor(db: Database.Database) {
    this.#db = db;
    this.#statements = {
      idsOf: db.prepare<[number], number>(`SELECT id FROM note_chunks WHERE note_id = ?`).pluck(),
      deleteOf: db.prepare(`DELETE FROM note_chunks WHERE note_id = ?`),
      insert: db.prepare(
        `INSERT INTO note_chunks (note_id, ordinal, text, heading_path, line_start, line_end, page_start, page_end)
         VALUES (@noteId, @ordinal, @text, @headingPath, @lineStart, @lineEnd, @pageStart, @pageEnd)`,
      ),
      // bm25 weighs a word in the text fully and one in the headings half.
      keyword: db.prepare<{ match: string; limit: number; noteId: number | null }, { id: number }>(
        `SELECT c.id FROM note_chunks_fts f JOIN note_chunks c ON c.id = f.rowid ${liveNote}
         WHERE note_chunks_fts MATCH @match AND (@noteId IS NULL OR c.note_id = @noteId)
         ORDER BY bm25(note_chunks_fts, 1.0, 0.5) LIMIT @limit`,
      ),
      // The same ranking over the newest matches only: FTS5 walks its index in rowid order and stops.
      recentKeyword: db.prepare<
        { match: string; scan: number; noteId: number | null },
        { id: number; score: number }
      >(
        `SELECT c.id, bm25(note_chunks_fts, 1.0, 0.5) AS score FROM note_chunks_fts f
         JOIN note_chunks c ON c.id = f.rowid ${liveNote}
         WHERE note_chunks_fts MATCH @match AND (@noteId IS NULL OR c.note_id = @noteId)
         ORDER BY f.rowid DESC LIMIT @scan`,
      ),
      get: db.prepare<[number], ChunkRow>(
        `SELECT ${chunkColumns} FROM note_chunks c ${liveNote} WHERE c.id = ?`,
      ),
      inNote: db.prepare<[number], ChunkRow>(
        `SELECT ${chunkColumns} FROM note_chunks c ${liveNote} WHERE c.note_id = ? ORDER BY c.ordinal`,
      ),
      count: db.prepare<[], number>(`SELECT count(*) FROM note_chunks`).pluck(),
      chunksWithTerm: db
        .prepare<[string], number>(`SELECT doc FROM note_chunks_terms WHERE term = ?`)
        .pluck(),
      liveIds: db.prepare<[], number>(`SELECT c.id FROM note_chunks c ${liveNote}`).pluck(),
      // Chunks of live notes still without a vector of this model.
      unembedded: db.prepare<{ model: string; limit: number }, ChunkRow>(
        `SELECT ${chunkColumns} FROM note_chunks c ${liveNote}
         LEFT JOIN chunk_vectors v ON v.chunk_id = c.id AND v.model = @model
         WHERE v.chunk_id IS NULL ORDER BY c.id LIMIT @limit`,
      ),
      saveVector: db.prepare(
        `INSERT INTO chunk_vectors (chunk_id, model, vector) VALUES (@chunkId, @model, @vector)
         ON CONFLICT (chunk_id) DO UPDATE SET model = excluded.model, vector = excluded.vector`,
      ),
      vectors: db.prepare<[string], { chunk_id: number; vector: Buffer }>(
        `SELECT v.chunk_id, v.vector FROM chunk_vectors v WHERE v.model = ?`,
      ),
      embeddedCount: db
        .prepare<[string], number>(
          `SELECT count(*) FROM chunk_vectors v JOIN note_chunks c ON c.id = v.chunk_id ${liveNote} WHERE v.model = ?`,
        )
        .pluck(),
      exists: db.prepare<[number], number>(`SELECT 1 FROM note_chunks WHERE id = ?`).pluck(),
      liveCount: db.prepare<[], number>(`SELECT count(*) FROM note_chunks c ${liveNote}`).pluck(),
    };
  }

  /** Puts `chunks` in place of the note's chunks; returns the ids of those removed (their vectors went too). */
  replace(noteId: number, chunks: readonly ChunkToSave[]): number[] {
    return write(() =>
      this.#db.transaction(() => {
        const removed = this.#statements.idsOf.all(noteId);
        this.#statements.deleteOf.run(noteId);
        chunks.forEach((chunk, ordinal) =>
          this.#statements.insert.run({
            noteId,
            ordinal,
            text: chunk.text,
            headingPath: JSON.stringify(chunk.headingPath),
            lineStart: chunk.lineStart,
            lineEnd: chunk.lineEnd,
            pageStart: chunk.pageStart,
            pageEnd: chunk.pageEnd,
          }),
        );
        return removed;
      })(),
    );
  }

  /**
   * Chunk ids best matching an FTS5 query, best first. With `scan`, only the newest `scan` matches are
   * ranked: bm25 reads every match, which for words in most chunks costs far more than it tells.
   */
  keyword(
    match: string,
    limit: number,
    options: { noteId?: number | undefined; scan?: number } = {},
  ): number[] {
    const noteId = options.noteId ?? null;
    if (options.scan === undefined)
      return this.#statements.keyword.all({ match, limit, noteId }).map((row) => row.id);
    return this.#statements.recentKeyword
      .all({ match, scan: options.scan, noteId })
      .sort((a, b) => a.score - b.score)
      .slice(0, limit)
      .map((row) => row.id);
  }

  /** How many chunks hold each word (as the index spells it; see questionWords). */
  chunksWithTerms(words: readonly string[]): Map<string, number> {
    return new Map(words.map((word) => [word, this.#statements.chunksWithTerm.get(word) ?? 0]));
  }

  /** The chunks with these ids that still exist, in the order asked. */
  get(ids: readonly number[]): StoredChunk[] {
    return ids.flatMap((id) => {
      const row = this.#statements.get.get(id);
      return row ? [toChunk(row)] : [];
    });
  }

  inNote(noteId: number): StoredChunk[] {
    return this.#statements.inNote.all(noteId).map(toChunk);
  }

  /** Every chunk, of live notes or in the bin. */
  count(): number {
    return this.#statements.count.get() ?? 0;
  }

  liveCount(): number {
    return this.#statements.liveCount.get() ?? 0;
  }

  /** Ids of the chunks of live notes (what a vector search may return). */
  liveIds(): Set<number> {
    return new Set(this.#statements.liveIds.all());
  }

  unembedded(model: string, limit: number): StoredChunk[] {
    return this.#statements.unembedded.all({ model, limit }).map(toChunk);
  }

  /** Saves vectors in one transaction, skipping chunks replaced while they were computed. */
  saveVectors(model: string, vectors: readonly { chunkId: number; vector: Buffer }[]): number {
    return write(() =>
      this.#db.transaction(() => {
        let saved = 0;
        for (const { chunkId, vector } of vectors) {
          if (this.#statements.exists.get(chunkId)) {
            this.#statements.saveVector.run({ chunkId, model, vector });
            saved++;
          }
        }
        return saved;
      })(),
    );
  }

  /** Every stored vector of this model, read one row at a time. */
  *vectors(model: string): Generator<{ chunkId: number; vector: Buffer }> {
    for (const row of this.#statements.vectors.iterate(model))
      yield { chunkId: row.chunk_id, vector: row.vector };
  }

  embeddedCount(model: string): number {
    return this.#statements.embeddedCount.get(model) ?? 0;
  }
}

function toChunk(row: ChunkRow): StoredChunk {
  return {
    id: row.id,
    noteId: row.note_id,
    title: row.title,
    text: row.text,
    headingPath: readHeadingPath(row.heading_path),
    lineStart: row.line_start,
    lineEnd: row.line_end,
    pageStart: row.page_start,
    pageEnd: row.page_end,
  };
}

const headingPathSchema = z.array(z.string()).max(20);

function readHeadingPath(text: string): string[] {
  const parsed = headingPathSchema.safeParse(parseJson<unknown>(text, []));
  return parsed.success ? parsed.data : [];
}
