/**
 * The history store: one SQLite file in the data folder, opened (and recovered) at startup. Services reach
 * the tables through it, so a restore from backup can swap the connection underneath them.
 */
import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { AppError } from '../../../src-shared/errors';
import type { StoreStatus } from '../../../src-shared/types';
import { Conversations } from './conversations';
import { openDatabase } from './database';
import { Messages } from './messages';
import { migrations } from './migrations';
import { Models } from './models';
import { Notes } from './notes';
import { Search } from './search';
import { Settings } from './settings';
import { schemaVersion } from './migrate';
import { openSqlite } from './sqlite';
import { write } from './sqlite-errors';

export const databaseFileName = 'phidesk.db';

interface Tables {
  db: Database.Database;
  conversations: Conversations;
  messages: Messages;
  notes: Notes;
  settings: Settings;
  models: Models;
  search: Search;
}

export class Store {
  readonly file: string;
  readonly status: StoreStatus;
  #nativeBinding: string | undefined;
  #tables: Tables;

  private constructor(file: string, nativeBinding: string | undefined, tables: Tables, status: StoreStatus) {
    this.file = file;
    this.#nativeBinding = nativeBinding;
    this.#tables = tables;
    this.status = status;
  }

  /** Opens (creating, migrating or recovering) the database, and finishes what the last run left open. */
  static open(file: string, nativeBinding?: string): Store {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const { db, recovered } = openDatabase(file, nativeBinding, migrations);
    const tables = buildTables(db);
    const interruptedAnswers = tables.messages.interruptStreaming();
    tables.conversations.purgeDeleted();
    return new Store(file, nativeBinding, tables, {
      path: file,
      state: 'open',
      interruptedAnswers,
      ...(recovered ? { recovered } : {}),
    });
  }

  get conversations(): Conversations {
    return this.#tables.conversations;
  }

  get messages(): Messages {
    return this.#tables.messages;
  }

  get notes(): Notes {
    return this.#tables.notes;
  }

  get settings(): Settings {
    return this.#tables.settings;
  }

  get models(): Models {
    return this.#tables.models;
  }

  get search(): Search {
    return this.#tables.search;
  }

  /** Runs several writes as one: all of them are saved, or none. */
  transaction<T>(run: () => T): T {
    return write(() => this.#tables.db.transaction(run)());
  }

  /** Copies the live database to `target` (a consistent snapshot, even mid-write). */
  async backup(target: string): Promise<{ bytes: number }> {
    if (path.resolve(target) === path.resolve(this.file)) {
      throw new AppError('invalid_input', 'Choose another file than the live database.');
    }
    await this.#tables.db.backup(target);
    return { bytes: fs.statSync(target).size };
  }

  /**
   * Replaces the history with a backup. The backup is checked first (a Phidesk database this version can
   * read, intact); the current files are kept beside it as `.before-restore-<time>`.
   */
  restore(source: string): { movedTo: string } {
    checkBackup(source, this.#nativeBinding);
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const movedTo = `${this.file}.before-restore-${stamp}`;
    this.#tables.db.close();
    for (const suffix of ['', '-wal', '-shm']) {
      if (fs.existsSync(this.file + suffix)) fs.renameSync(this.file + suffix, movedTo + suffix);
    }
    fs.copyFileSync(source, this.file);
    const { db } = openDatabase(this.file, this.#nativeBinding, migrations);
    this.#tables = buildTables(db);
    this.#tables.messages.interruptStreaming();
    return { movedTo };
  }

  /** Integrity check (used by tests and after restores). */
  quickCheck(): string {
    return this.#tables.db.pragma('quick_check', { simple: true }) as string;
  }

  /** Test hook for F3: caps the database file's size for this connection. */
  limitPages(maxPageCount: number): void {
    this.#tables.db.pragma(`max_page_count = ${maxPageCount}`);
  }

  pageCount(): number {
    return this.#tables.db.pragma('page_count', { simple: true }) as number;
  }

  close(): void {
    this.#tables.db.close();
  }
}

function buildTables(db: Database.Database): Tables {
  return {
    db,
    conversations: new Conversations(db),
    messages: new Messages(db),
    notes: new Notes(db),
    settings: new Settings(db),
    models: new Models(db),
    search: new Search(db),
  };
}

function checkBackup(file: string, nativeBinding: string | undefined): void {
  let db: Database.Database;
  try {
    db = openSqlite(file, nativeBinding, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new AppError('invalid_input', `Cannot open the backup: ${(error as Error).message}`);
  }
  try {
    const version = schemaVersion(db);
    const latest = migrations.at(-1)!.version;
    if (version > latest)
      throw new AppError('database_too_new', 'This backup comes from a newer Phidesk. Update Phidesk first.');
    const tables = db
      .prepare(
        `SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('conversations', 'messages')`,
      )
      .all();
    if (version < 1 || tables.length < 2)
      throw new AppError('invalid_input', 'This file is not a Phidesk backup.');
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new AppError('invalid_input', `The backup is damaged (${String(check)}).`);
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('invalid_input', `This file is not a Phidesk backup: ${(error as Error).message}`);
  } finally {
    db.close();
  }
}
