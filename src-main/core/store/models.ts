import type Database from 'better-sqlite3';
import type { RegisteredModel } from '../../../src-shared/types';
import { write } from './sqlite-errors';

interface ModelRow {
  id: number;
  path: string;
  name: string;
  quantization: string | null;
  size_bytes: number;
  sha256: string | null;
  source: RegisteredModel['source'];
  architecture: string | null;
  context_length: number | null;
  added_at: number;
  last_used_at: number | null;
}

function toModel(row: ModelRow): RegisteredModel {
  return {
    id: row.id,
    path: row.path,
    name: row.name,
    quantization: row.quantization,
    sizeBytes: row.size_bytes,
    sha256: row.sha256,
    source: row.source,
    architecture: row.architecture,
    contextLength: row.context_length,
    addedAt: row.added_at,
    lastUsedAt: row.last_used_at,
  };
}

/** The models Phidesk knows about: downloaded, imported in place, or found in the models folder. */
export class Models {
  #statements;

  constructor(db: Database.Database) {
    this.#statements = {
      upsert: db.prepare(
        `INSERT INTO models (path, name, quantization, size_bytes, sha256, source, architecture, context_length, added_at)
         VALUES (@path, @name, @quantization, @sizeBytes, @sha256, @source, @architecture, @contextLength, @now)
         ON CONFLICT (path) DO UPDATE SET name = excluded.name, quantization = excluded.quantization,
           size_bytes = excluded.size_bytes, sha256 = coalesce(excluded.sha256, sha256),
           architecture = excluded.architecture, context_length = excluded.context_length`,
      ),
      byPath: db.prepare<[string], ModelRow>(`SELECT * FROM models WHERE path = ?`),
      list: db.prepare<[], ModelRow>(`SELECT * FROM models ORDER BY coalesce(last_used_at, added_at) DESC`),
      used: db.prepare(`UPDATE models SET last_used_at = ? WHERE path = ?`),
      delete: db.prepare(`DELETE FROM models WHERE path = ?`),
    };
  }

  register(model: Omit<RegisteredModel, 'id' | 'addedAt' | 'lastUsedAt'>): RegisteredModel {
    write(() => this.#statements.upsert.run({ ...model, now: Date.now() }));
    return toModel(this.#statements.byPath.get(model.path)!);
  }

  list(): RegisteredModel[] {
    return this.#statements.list.all().map(toModel);
  }

  byPath(path: string): RegisteredModel | null {
    const row = this.#statements.byPath.get(path);
    return row ? toModel(row) : null;
  }

  markUsed(path: string): void {
    write(() => this.#statements.used.run(Date.now(), path));
  }

  remove(path: string): boolean {
    return write(() => this.#statements.delete.run(path)).changes > 0;
  }
}
