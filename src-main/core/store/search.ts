import type Database from 'better-sqlite3';
import type { ConversationKind, SearchHit } from '../../../src-shared/types';
import { buildMatchQuery, highlightEnd, highlightStart } from './search-text';

/**
 * Search across message text, conversation titles and notes. Ranking every match of a common word costs
 * time in proportion to the matches, so messages are ranked within the most recent matches (a capped
 * candidate set), which also favours what people are likely looking for.
 */
export const messageCandidates = 400;

export class Search {
  #statements;

  constructor(db: Database.Database) {
    const snippet = (table: string, column: number) =>
      `snippet(${table}, ${column}, '${highlightStart}', '${highlightEnd}', '…', 16)`;
    this.#statements = {
      messageCandidates: db.prepare<{ query: string; limit: number }, { id: number; rank: number }>(
        `SELECT rowid AS id, rank FROM messages_fts WHERE messages_fts MATCH @query ORDER BY rowid DESC LIMIT @limit`,
      ),
      messageHit: db.prepare<
        { query: string; id: number },
        {
          id: number;
          conversationId: number;
          kind: ConversationKind;
          title: string;
          updatedAt: number;
          snippet: string;
        }
      >(
        `SELECT m.id, m.conversation_id AS conversationId, c.kind, c.title, m.updated_at AS updatedAt,
                ${snippet('messages_fts', 0)} AS snippet
         FROM messages_fts JOIN messages m ON m.id = messages_fts.rowid JOIN conversations c ON c.id = m.conversation_id
         WHERE messages_fts MATCH @query AND messages_fts.rowid = @id AND c.deleted_at IS NULL`,
      ),
      titles: db.prepare<
        { query: string; limit: number },
        { id: number; kind: ConversationKind; title: string; updatedAt: number; snippet: string }
      >(
        `SELECT c.id, c.kind, c.title, c.updated_at AS updatedAt, ${snippet('titles_fts', 0)} AS snippet
         FROM titles_fts JOIN conversations c ON c.id = titles_fts.rowid
         WHERE titles_fts MATCH @query AND c.deleted_at IS NULL ORDER BY rank LIMIT @limit`,
      ),
      notes: db.prepare<
        { query: string; limit: number },
        { id: number; title: string; updatedAt: number; snippet: string; rank: number }
      >(
        `SELECT n.id, n.title, n.updated_at AS updatedAt, notes_fts.rank AS rank, ${snippet('notes_fts', 1)} AS snippet
         FROM notes_fts JOIN notes n ON n.id = notes_fts.rowid
         WHERE notes_fts MATCH @query ORDER BY rank LIMIT @limit`,
      ),
    };
  }

  /** Conversation titles first, then messages and notes by relevance. */
  search(input: string, limit: number): SearchHit[] {
    const query = buildMatchQuery(input);
    if (!query) return [];
    const clean = (snippet: string) => snippet.replace(/\u200B/g, '');

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

    const candidates = this.#statements.messageCandidates.all({ query, limit: messageCandidates });
    const ranked: { rank: number; hit: SearchHit }[] = [];
    for (const candidate of candidates.sort((a, b) => a.rank - b.rank)) {
      if (ranked.length >= limit) break;
      const row = this.#statements.messageHit.get({ query, id: candidate.id });
      if (!row) continue; // its conversation was deleted
      ranked.push({
        rank: candidate.rank,
        hit: {
          kind: 'message',
          conversationId: row.conversationId,
          conversationKind: row.kind,
          messageId: row.id,
          noteId: null,
          title: row.title,
          snippet: clean(row.snippet),
          updatedAt: row.updatedAt,
        },
      });
    }
    for (const row of this.#statements.notes.all({ query, limit })) {
      ranked.push({
        rank: row.rank,
        hit: {
          kind: 'note',
          conversationId: null,
          conversationKind: null,
          messageId: null,
          noteId: row.id,
          title: row.title,
          snippet: clean(row.snippet),
          updatedAt: row.updatedAt,
        },
      });
    }
    ranked.sort((a, b) => a.rank - b.rank);
    return [...titles, ...ranked.map((entry) => entry.hit)].slice(0, limit);
  }
}
