/**
 * The history store: one SQLite file in the data folder, opened (and recovered) at startup. Services reach
 * the tables through it, so a restore from backup can swap the connection underneath them.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { AppError } from '../../../src-shared/errors';
import type { StoreStatus } from '../../../src-shared/types';
import { Conversations } from './conversations';
import { openDatabase } from './database';
import { Flashcards } from './flashcards';
import { Messages } from './messages';
import { migrations } from './migrations';
import { Models } from './models';
import { NoteChunks } from './note-chunks';
import { Notes } from './notes';
import { Search } from './search';
import { Settings } from './settings';
import { checkBackup } from './check-backup';
import { translateSqliteError, write } from './sqlite-errors';
import { withReadOnlyDatabase } from './sqlite-worker';

export const databaseFileName = 'phidesk.db';

interface Tables {
  db: Database.Database;
  conversations: Conversations;
  messages: Messages;
  notes: Notes;
  noteChunks: NoteChunks;
  flashcards: Flashcards;
  settings: Settings;
  models: Models;
  search: Search;
}

export class Store {
  readonly file: string;
  readonly status: StoreStatus;
  #nativeBinding: string | undefined;
  #tables: Tables;
  #restoring = false;

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
    tables.notes.purgeDeleted();
    tables.flashcards.purgeDeleted();
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

  get noteChunks(): NoteChunks {
    return this.#tables.noteChunks;
  }

  get flashcards(): Flashcards {
    return this.#tables.flashcards;
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

  /**
   * A transaction that commits without waiting for the disk (synchronous=NORMAL), for the steps of a bulk
   * write whose result only counts once a later ordinary transaction commits: that commit syncs the log
   * with every step before it, so the whole is as durable as ever, and the steps do not hold the event loop
   * for a disk sync each. A crash keeps every committed step either way; a power cut may lose the last ones,
   * which were not visible yet.
   */
  stagingTransaction<T>(run: () => T): T {
    const db = this.#tables.db;
    db.pragma('synchronous = NORMAL');
    try {
      return this.transaction(run);
    } finally {
      db.pragma('synchronous = FULL');
    }
  }

  /** True while a restore swaps the database: no new answer may start (it would write to the old one). */
  get restoring(): boolean {
    return this.#restoring;
  }

  /**
   * Copies the live database to `target`: a consistent snapshot, even mid-write, copied on a worker thread
   * in one step (a copy in many small steps would start over each time an answer is saved). The copy is
   * written beside the target and then renamed over it, so a link at `target` is replaced, never followed
   * (TEST-CATALOG S8), and a half-written copy never has the final name.
   */
  async backup(target: string): Promise<{ bytes: number }> {
    if (isSameFile(target, this.file)) {
      throw new AppError('invalid_input', 'Choose another file than the live database.');
    }
    const partial = `${target}.partial-${randomBytes(4).toString('hex')}`;
    try {
      await withReadOnlyDatabase(this.file, this.#nativeBinding, copyScript, { target: partial });
      fs.renameSync(partial, target);
    } catch (error) {
      fs.rmSync(partial, { force: true });
      throw translateSqliteError(error);
    }
    return { bytes: fs.statSync(target).size };
  }

  /**
   * Replaces the history with a backup, all or nothing (TEST-CATALOG F7). The backup is checked first and
   * copied beside the live file; then `settle` stops and saves every running answer, and the live files
   * are moved aside as `.before-restore-<time>` and the copy put in their place. If any step after that
   * fails, the live files are put back and reopened before the error is returned.
   */
  async restore(
    source: string,
    options: { settle: () => Promise<void>; onStep?: (step: RestoreStep) => void },
  ): Promise<{ movedTo: string }> {
    const step = (name: RestoreStep) => options.onStep?.(name);
    if (this.#restoring) throw new AppError('busy', 'A restore is already under way.');
    if (isSameFile(source, this.file) || sameFileAsAny(source, sidecars(this.file))) {
      throw new AppError('invalid_input', 'That is the live database itself: choose a backup file.');
    }
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const staged = `${this.file}.restoring-${stamp}`;
    const movedTo = `${this.file}.before-restore-${stamp}`;
    this.#restoring = true;
    try {
      step('check');
      await checkBackup(source, this.#nativeBinding);
      step('stage');
      await fs.promises.copyFile(source, staged);
      step('settle');
      await options.settle();
      this.#swap(staged, movedTo, step);
      return { movedTo };
    } finally {
      fs.rmSync(staged, { force: true });
      this.#restoring = false;
    }
  }

  /** Puts `staged` in place of the live files; on failure, puts the live files back and reopens them. */
  #swap(staged: string, movedTo: string, step: (name: RestoreStep) => void): void {
    const moved: string[] = [];
    let placed = false;
    let opened: Database.Database | null = null;
    step('close');
    this.#tables.db.close();
    try {
      step('move-aside');
      for (const suffix of ['', '-wal', '-shm']) {
        if (!fs.existsSync(this.file + suffix)) continue;
        fs.renameSync(this.file + suffix, movedTo + suffix);
        moved.push(suffix);
      }
      step('put-in-place');
      fs.renameSync(staged, this.file);
      placed = true;
      step('open');
      opened = openDatabase(this.file, this.#nativeBinding, migrations).db;
      const tables = buildTables(opened);
      tables.messages.interruptStreaming();
      this.#tables = tables;
    } catch (error) {
      opened?.close();
      if (placed) for (const suffix of ['', '-wal', '-shm']) fs.rmSync(this.file + suffix, { force: true });
      for (const suffix of moved) fs.renameSync(movedTo + suffix, this.file + suffix);
      this.#tables = buildTables(openDatabase(this.file, this.#nativeBinding, migrations).db);
      const reason = error instanceof Error ? error.message : String(error);
      throw new AppError('unavailable', `The restore failed and the history was left as it was: ${reason}`);
    }
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
    noteChunks: new NoteChunks(db),
    flashcards: new Flashcards(db),
    settings: new Settings(db),
    models: new Models(db),
    search: new Search(db),
  };
}

/** All pages in one step of SQLite's online backup: one read snapshot from start to end. */
const copyScript = `await db.backup(input.target, { progress: () => 0x7fffffff }); return null;`;

/** The steps of a restore, in order (tests make each one fail). */
export type RestoreStep = 'check' | 'stage' | 'settle' | 'close' | 'move-aside' | 'put-in-place' | 'open';

function sidecars(file: string): string[] {
  return [`${file}-wal`, `${file}-shm`];
}

/** Same file on disk: the same path after links, or the same inode (a hard link). */
function isSameFile(a: string, b: string): boolean {
  try {
    const [left, right] = [fs.statSync(a), fs.statSync(b)];
    return left.dev === right.dev && left.ino === right.ino;
  } catch {
    return path.resolve(a) === path.resolve(b);
  }
}

function sameFileAsAny(file: string, others: string[]): boolean {
  return others.some((other) => fs.existsSync(other) && isSameFile(file, other));
}
