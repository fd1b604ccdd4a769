import type Database from 'better-sqlite3';
import type { ConversationKind, SearchHit } from '../../../src-shared/types';
import { buildMatchQuery, highlightEnd, highlightStart } from './search-text';

/**
 * Search across message text, conversation titles and notes. FTS5's bm25 ranking reads every match of
 * every word to weigh it (hundreds of milliseconds for a common word in 100k messages), so messages are
 * taken newest first — FTS5 walks its index in rowid order and stops early — and the most recent matches
 * are then ranked by how much of the query their snippet shows, newest first among equals.
 */
export const messageCandidates = 40;

interface MessageRow {
  id: number;
  conversationId: number;
  kind: ConversationKind;
  title: string;
  updatedAt: number;
  snippet: string;
}

export class Search {
  #statements;

  constructor(db: Database.Database) {
    const snippet = (table: string, column: number) =>
      `snippet(${table}, ${column}, '${highlightStart}', '${highlightEnd}', '…', 16)`;
    this.#statements = {
      messages: db.prepare<{ query: string; limit: number }, MessageRow>(
        `SELECT m.id, m.conversation_id AS conversationId, c.kind, c.title, m.updated_at AS updatedAt,
                ${snippet('messages_fts', 0)} AS snippet
         FROM messages_fts JOIN messages m ON m.id = messages_fts.rowid JOIN conversations c ON c.id = m.conversation_id
         WHERE messages_fts MATCH @query AND c.deleted_at IS NULL
         ORDER BY messages_fts.rowid DESC LIMIT @limit`,
      ),
      titles: db.prepare<
        { query: string; limit: number },
        { id: number; kind: ConversationKind; title: string; updatedAt: number; snippet: string }
      >(
        `SELECT c.id, c.kind, c.title, c.updated_at AS updatedAt, ${snippet('titles_fts', 0)} AS snippet
         FROM titles_fts JOIN conversations c ON c.id = titles_fts.rowid
         WHERE titles_fts MATCH @query AND c.deleted_at IS NULL ORDER BY titles_fts.rowid DESC LIMIT @limit`,
      ),
      notes: db.prepare<
        { query: string; limit: number },
        { id: number; title: string; updatedAt: number; snippet: string }
      >(
        `SELECT n.id, n.title, n.updated_at AS updatedAt, ${snippet('notes_fts', 1)} AS snippet
         FROM notes_fts JOIN notes n ON n.id = notes_fts.rowid
         WHERE notes_fts MATCH @query AND n.deleted_at IS NULL ORDER BY notes_fts.rowid DESC LIMIT @limit`,
      ),
    };
  }

  /** Conversation titles first, then messages and notes by how well they match, newest first among equals. */
  search(input: string, limit: number): SearchHit[] {
    const query = buildMatchQuery(input);
    if (!query) return [];

    const titles: SearchHit[] = this.#statements.titles.all({ query, limit }).map((row) => ({
      kind: 'title',
      conversationId: row.id,
      conversationKind: row.kind,
      messageId: null,
      noteId: null,
      title: row.title,
      snippet: clean(row.snippet),
      updatedAt: row.updatedAt,
    }));
    const messages: SearchHit[] = this.#statements.messages
      .all({ query, limit: Math.max(limit, messageCandidates) })
      .map((row) => ({
        kind: 'message',
        conversationId: row.conversationId,
        conversationKind: row.kind,
        messageId: row.id,
        noteId: null,
        title: row.title,
        snippet: clean(row.snippet),
        updatedAt: row.updatedAt,
      }));
    const notes: SearchHit[] = this.#statements.notes.all({ query, limit }).map((row) => ({
      kind: 'note',
      conversationId: null,
      conversationKind: null,
      messageId: null,
      noteId: row.id,
      title: row.title,
      snippet: clean(row.snippet),
      updatedAt: row.updatedAt,
    }));
    const ranked = [...messages, ...notes].sort(
      (a, b) => highlights(b) - highlights(a) || b.updatedAt - a.updatedAt,
    );
    return [...titles, ...ranked].slice(0, limit);
  }
}

/** The snippet is of the indexed text, where CJK characters are separated by zero-width spaces. */
function clean(snippet: string): string {
  return snippet.replace(/\u200B/g, '');
}

/** How many query words the snippet shows highlighted. */
function highlights(hit: SearchHit): number {
  return hit.snippet.split(highlightStart).length - 1;
}
