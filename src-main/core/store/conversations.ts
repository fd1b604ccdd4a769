import type Database from 'better-sqlite3';
import { AppError } from '../../../src-shared/errors';
import type { ConversationKind, ConversationSettings, ConversationSummary } from '../../../src-shared/types';
import { conversationSettingsSchema } from '../../../src-shared/rpc';
import { parseJson, toSummary, type ConversationRow } from './rows';
import { write } from './sqlite-errors';

export interface ConversationPage {
  items: ConversationSummary[];
  /** Pass back to get the next page; null at the end. */
  nextCursor: string | null;
}

export interface StoredConversation extends ConversationSummary {
  settings: ConversationSettings;
  state: unknown;
  leafMessageId: number | null;
}

/** Conversations: listing (pinned first, then newest), renaming, pinning, soft deletion. */
export class Conversations {
  #db: Database.Database;
  #statements;

  constructor(db: Database.Database) {
    this.#db = db;
    const listColumns = `SELECT * FROM conversations WHERE deleted_at IS NULL`;
    const order = `ORDER BY pinned DESC, updated_at DESC, id DESC LIMIT @limit`;
    const after = `(pinned, updated_at, id) < (@pinned, @updatedAt, @id)`;
    this.#statements = {
      insert: db.prepare(
        `INSERT INTO conversations (kind, title, created_at, updated_at, settings, model, deleted_at)
         VALUES (@kind, @title, @now, @now, @settings, @model, @deletedAt)`,
      ),
      get: db.prepare<[number], ConversationRow>(
        `SELECT * FROM conversations WHERE id = ? AND deleted_at IS NULL`,
      ),
      listAll: db.prepare<{ limit: number }, ConversationRow>(`${listColumns} ${order}`),
      listAllAfter: db.prepare<Record<string, number>, ConversationRow>(
        `${listColumns} AND ${after} ${order}`,
      ),
      listKind: db.prepare<{ kind: string; limit: number }, ConversationRow>(
        `${listColumns} AND kind = @kind ${order}`,
      ),
      listKindAfter: db.prepare<Record<string, number | string>, ConversationRow>(
        `${listColumns} AND kind = @kind AND ${after} ${order}`,
      ),
      rename: db.prepare(
        `UPDATE conversations SET title = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL`,
      ),
      pin: db.prepare(`UPDATE conversations SET pinned = ? WHERE id = ? AND deleted_at IS NULL`),
      softDelete: db.prepare(`UPDATE conversations SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL`),
      restore: db.prepare(
        `UPDATE conversations SET deleted_at = NULL WHERE id = ? AND deleted_at IS NOT NULL`,
      ),
      purge: db.prepare(`DELETE FROM conversations WHERE deleted_at IS NOT NULL`),
      remove: db.prepare(`DELETE FROM conversations WHERE id = ?`),
      touch: db.prepare(
        `UPDATE conversations SET updated_at = @now, leaf_message_id = @leaf,
           model = coalesce(@model, model), settings = coalesce(@settings, settings) WHERE id = @id`,
      ),
      setLeaf: db.prepare(`UPDATE conversations SET leaf_message_id = ? WHERE id = ?`),
      setState: db.prepare(
        `UPDATE conversations SET state = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL`,
      ),
    };
  }

  create(input: {
    kind: ConversationKind;
    title: string;
    settings?: ConversationSettings;
    model?: string | null;
    /**
     * Created as deleted, for a conversation filled in several steps (an import): it is shown by
     * restore() once complete, and purged at the next start if the app stops before that.
     */
    hidden?: boolean;
  }): number {
    const now = Date.now();
    const result = write(() =>
      this.#statements.insert.run({
        kind: input.kind,
        title: input.title,
        now,
        settings: JSON.stringify(input.settings ?? {}),
        model: input.model ?? null,
        deletedAt: input.hidden ? now : null,
      }),
    );
    return Number(result.lastInsertRowid);
  }

  /** Deletes a conversation and its messages at once (an import that failed halfway). */
  remove(id: number): void {
    write(() => this.#statements.remove.run(id));
  }

  get(id: number): StoredConversation {
    const row = this.#statements.get.get(id);
    if (!row) throw new AppError('not_found', `Conversation ${id} does not exist.`);
    return {
      ...toSummary(row),
      settings: readSettings(row.settings),
      state: parseJson<unknown>(row.state, null),
      leafMessageId: row.leaf_message_id,
    };
  }

  list(options: {
    kind?: ConversationKind | undefined;
    cursor?: string | null | undefined;
    limit: number;
  }): ConversationPage {
    const limit = options.limit;
    const after = options.cursor ? decodeCursor(options.cursor) : null;
    const rows = options.kind
      ? after
        ? this.#statements.listKindAfter.all({ kind: options.kind, limit: limit + 1, ...after })
        : this.#statements.listKind.all({ kind: options.kind, limit: limit + 1 })
      : after
        ? this.#statements.listAllAfter.all({ limit: limit + 1, ...after })
        : this.#statements.listAll.all({ limit: limit + 1 });
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map(toSummary),
      nextCursor: rows.length > limit && last ? encodeCursor(last) : null,
    };
  }

  rename(id: number, title: string): void {
    this.#expectChange(write(() => this.#statements.rename.run(title, Date.now(), id)).changes, id);
  }

  setPinned(id: number, pinned: boolean): void {
    this.#expectChange(write(() => this.#statements.pin.run(pinned ? 1 : 0, id)).changes, id);
  }

  /** Hides conversations until purged at the next start; returns how many were deleted. */
  delete(ids: readonly number[]): number {
    const now = Date.now();
    return write(() =>
      this.#db.transaction(() =>
        ids.reduce((n, id) => n + this.#statements.softDelete.run(now, id).changes, 0),
      )(),
    );
  }

  /** Undoes delete() for conversations not purged yet. */
  restore(ids: readonly number[]): number {
    return write(() =>
      this.#db.transaction(() => ids.reduce((n, id) => n + this.#statements.restore.run(id).changes, 0))(),
    );
  }

  purgeDeleted(): number {
    return write(() => this.#statements.purge.run()).changes;
  }

  /** Records a new turn: the branch it ends, and the model and settings used. */
  touch(
    id: number,
    leafMessageId: number,
    used: { model?: string | null; settings?: ConversationSettings } = {},
  ): void {
    write(() =>
      this.#statements.touch.run({
        id,
        now: Date.now(),
        leaf: leafMessageId,
        model: used.model ?? null,
        settings: used.settings ? JSON.stringify(used.settings) : null,
      }),
    );
  }

  setLeaf(id: number, leafMessageId: number): void {
    write(() => this.#statements.setLeaf.run(leafMessageId, id));
  }

  setState(id: number, state: unknown): void {
    this.#expectChange(
      write(() => this.#statements.setState.run(JSON.stringify(state ?? null), Date.now(), id)).changes,
      id,
    );
  }

  #expectChange(changes: number, id: number): void {
    if (changes === 0) throw new AppError('not_found', `Conversation ${id} does not exist.`);
  }
}

/** Saved settings are read back through the contract's schema: a damaged value reads as no settings. */
function readSettings(text: string): ConversationSettings {
  const parsed = conversationSettingsSchema.safeParse(parseJson<unknown>(text, {}));
  return parsed.success ? parsed.data : {};
}

function encodeCursor(row: ConversationRow): string {
  return `${row.pinned}.${row.updated_at}.${row.id}`;
}

function decodeCursor(cursor: string): { pinned: number; updatedAt: number; id: number } {
  const parts = cursor.split('.').map(Number);
  if (parts.length !== 3 || parts.some((part) => !Number.isSafeInteger(part))) {
    throw new AppError('invalid_input', 'Invalid page cursor.');
  }
  const [pinned, updatedAt, id] = parts as [number, number, number];
  return { pinned, updatedAt, id };
}
