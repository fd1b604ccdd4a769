import type Database from 'better-sqlite3';
import { AppError } from '../../../src-shared/errors';
import type { MessageStats, MessageStatus, MessageView } from '../../../src-shared/types';
import { toMessageView, type MessageRow } from './rows';
import { write } from './sqlite-errors';

export interface NewMessage {
  conversationId: number;
  parentId: number | null;
  role: MessageRow['role'];
  content: string;
  status: MessageStatus;
}

/** Messages form a tree per conversation: an edit or a regeneration is a sibling of what it replaces. */
export class Messages {
  #statements;

  constructor(db: Database.Database) {
    this.#statements = {
      insert: db.prepare(
        `INSERT INTO messages (conversation_id, parent_id, role, content, status, created_at, updated_at)
         VALUES (@conversationId, @parentId, @role, @content, @status, @now, @now)`,
      ),
      get: db.prepare<[number], MessageRow>(`SELECT * FROM messages WHERE id = ?`),
      updateContent: db.prepare(
        `UPDATE messages SET content = ?, updated_at = ? WHERE id = ? AND status = 'streaming'`,
      ),
      finish: db.prepare(
        `UPDATE messages SET content = @content, status = @status, updated_at = @now, prompt_tokens = @promptTokens,
           output_tokens = @outputTokens, time_to_first_token_ms = @timeToFirstTokenMs,
           tokens_per_second = @tokensPerSecond, stop_reason = @stopReason, error = @error
         WHERE id = @id`,
      ),
      branch: db.prepare<[number], MessageRow>(
        `WITH RECURSIVE branch (id) AS (
           SELECT ? UNION ALL SELECT m.parent_id FROM messages m JOIN branch b ON m.id = b.id WHERE m.parent_id IS NOT NULL
         )
         SELECT m.* FROM messages m JOIN branch b ON m.id = b.id ORDER BY m.id`,
      ),
      shapes: db.prepare<[number], { id: number; parent_id: number | null }>(
        `SELECT id, parent_id FROM messages WHERE conversation_id = ? ORDER BY id`,
      ),
      newestChild: db.prepare<[number], { id: number }>(
        `SELECT id FROM messages WHERE parent_id = ? ORDER BY id DESC LIMIT 1`,
      ),
      newest: db.prepare<[number], { id: number }>(
        `SELECT id FROM messages WHERE conversation_id = ? ORDER BY id DESC LIMIT 1`,
      ),
      interruptStreaming: db.prepare(
        `UPDATE messages SET status = 'interrupted', updated_at = ? WHERE status = 'streaming'`,
      ),
      delete: db.prepare(`DELETE FROM messages WHERE id = ?`),
      all: db.prepare<[number], MessageRow>(`SELECT * FROM messages WHERE conversation_id = ? ORDER BY id`),
      page: db.prepare<[number, number, number], MessageRow>(
        `SELECT * FROM messages WHERE conversation_id = ? AND id > ? ORDER BY id LIMIT ?`,
      ),
    };
  }

  insert(message: NewMessage): number {
    return Number(write(() => this.#statements.insert.run({ ...message, now: Date.now() })).lastInsertRowid);
  }

  get(id: number): MessageRow {
    const row = this.#statements.get.get(id);
    if (!row) throw new AppError('not_found', `Message ${id} does not exist.`);
    return row;
  }

  /** Saves the text of an answer still streaming (a no-op once it has ended). */
  updateStreaming(id: number, content: string): void {
    write(() => this.#statements.updateContent.run(content, Date.now(), id));
  }

  finish(
    id: number,
    end: { content: string; status: MessageStatus; stats?: Partial<MessageStats>; error?: string | null },
  ): void {
    write(() =>
      this.#statements.finish.run({
        id,
        content: end.content,
        status: end.status,
        now: Date.now(),
        promptTokens: end.stats?.promptTokens ?? null,
        outputTokens: end.stats?.outputTokens ?? null,
        timeToFirstTokenMs: end.stats?.timeToFirstTokenMs ?? null,
        tokensPerSecond: end.stats?.tokensPerSecond ?? null,
        stopReason: end.stats?.stopReason ?? null,
        error: end.error ?? null,
      }),
    );
  }

  /** The messages from the first down to `leafId`, each with its place among its versions. */
  branch(conversationId: number, leafId: number | null): MessageView[] {
    const leaf = leafId ?? this.#statements.newest.get(conversationId)?.id;
    if (leaf === undefined) return [];
    const rows = this.#statements.branch.all(leaf);
    const siblingsByParent = new Map<number | null, number[]>();
    for (const shape of this.#statements.shapes.all(conversationId)) {
      const list = siblingsByParent.get(shape.parent_id) ?? [];
      list.push(shape.id);
      siblingsByParent.set(shape.parent_id, list);
    }
    return rows.map((row) => {
      const siblingIds = siblingsByParent.get(row.parent_id) ?? [row.id];
      return toMessageView(row, {
        index: siblingIds.indexOf(row.id) + 1,
        count: siblingIds.length,
        siblingIds,
      });
    });
  }

  /** The newest message at the end of the branch that starts at `id` (to show when switching to it). */
  newestLeafUnder(id: number): number {
    let current = id;
    for (
      let child = this.#statements.newestChild.get(current);
      child;
      child = this.#statements.newestChild.get(current)
    ) {
      current = child.id;
    }
    return current;
  }

  /** At startup: answers that were streaming when the app stopped become `interrupted`. */
  interruptStreaming(): number {
    return write(() => this.#statements.interruptStreaming.run(Date.now())).changes;
  }

  /** Every message of a conversation, all branches, oldest first. */
  all(conversationId: number): MessageRow[] {
    return this.#statements.all.all(conversationId);
  }

  /** Up to `limit` messages of a conversation after `afterId`, oldest first (to walk a long one in steps). */
  page(conversationId: number, afterId: number, limit: number): MessageRow[] {
    return this.#statements.page.all(conversationId, afterId, limit);
  }

  /** Deletes a message and every later message of its branches. */
  delete(id: number): void {
    write(() => this.#statements.delete.run(id));
  }
}
