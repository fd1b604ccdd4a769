import type Database from 'better-sqlite3';
import type { ZodType } from 'zod';
import { parseJson } from './rows';
import { write } from './sqlite-errors';

/** Typed key/value settings: each value is JSON, read back through its schema (a bad value reads as unset). */
export class Settings {
  #statements;

  constructor(db: Database.Database) {
    this.#statements = {
      get: db.prepare<[string], { value: string }>(`SELECT value FROM settings WHERE key = ?`),
      set: db.prepare(
        `INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      ),
      delete: db.prepare(`DELETE FROM settings WHERE key = ?`),
    };
  }

  get<T>(key: string, schema: ZodType<T>): T | undefined {
    const row = this.#statements.get.get(key);
    if (!row) return undefined;
    const parsed = schema.safeParse(parseJson<unknown>(row.value, undefined));
    return parsed.success ? parsed.data : undefined;
  }

  set(key: string, value: unknown): void {
    write(() => this.#statements.set.run(key, JSON.stringify(value)));
  }

  delete(key: string): void {
    write(() => this.#statements.delete.run(key));
  }
}
