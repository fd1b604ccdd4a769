/**
 * Retrieval over the notes index: FTS5's bm25 over the chunks' words and, once chunks are embedded, cosine
 * similarity over their vectors, merged by reciprocal rank fusion (k = 60), so a passage that only shares
 * the question's words and one that only shares its meaning can both come first.
 */
import type { NoteChunkHit } from '../../../src-shared/notes';
import { anyWordQuery, questionWords } from '../store/search-text';
import type { Store } from '../store/store';
import type { NoteEmbeddings, NoteIndexer } from './note-indexer';
import { fuseRanks } from './rank-fusion';

/** Candidates each search contributes before fusion. */
const candidates = 30;
/** A word in more chunks than this share (and this floor) is too common to search by on its own. */
const commonWordShare = 0.05;
const commonWordFloor = 200;
const fallbackWords = 2;
/** How many of the newest matches of common words are ranked. */
const commonWordScan = 500;
const maxWords = 8;
/**
 * Below this cosine similarity a passage found by meaning alone does not count as relevant (bge-small's
 * unrelated pairs score around 0.3–0.5, related ones 0.6 and up).
 */
export const vectorRelevance = 0.6;

export interface NoteSearchResult {
  hits: NoteChunkHit[];
  /** `keyword`: no vectors were searched, or not every chunk has one yet. */
  retrieval: 'hybrid' | 'keyword';
}

export class NoteSearch {
  #store: Store;
  #indexer: NoteIndexer;
  #embeddings: NoteEmbeddings;

  constructor(options: { store: Store; indexer: NoteIndexer; embeddings: NoteEmbeddings }) {
    this.#store = options.store;
    this.#indexer = options.indexer;
    this.#embeddings = options.embeddings;
  }

  async search(
    query: string,
    options: { limit: number; noteId?: number | undefined },
  ): Promise<NoteSearchResult> {
    const chunks = this.#store.noteChunks;
    const words = this.#byRarity(questionWords(query));
    const match = anyWordQuery(
      words.telling.length > 0 ? words.telling : words.common.slice(0, fallbackWords),
    );
    // Only common words: rank the newest of their many matches rather than all of them.
    const scan = words.telling.length > 0 ? undefined : commonWordScan;
    const keyword = match ? chunks.keyword(match, candidates, { noteId: options.noteId, scan }) : [];
    const vector = await this.#vectorMatches(query, options.noteId);
    const fused = fuseRanks([keyword.map((id) => ({ id })), vector.matches]);
    const byId = new Map(chunks.get(fused.map((entry) => entry.id)).map((chunk) => [chunk.id, chunk]));
    const hits = fused.flatMap((entry): NoteChunkHit[] => {
      const chunk = byId.get(entry.id);
      if (!chunk) return [];
      const { id: chunkId, ...rest } = chunk;
      return [
        {
          chunkId,
          ...rest,
          score: entry.score,
          via: { keyword: entry.ranks[0] !== null, vector: entry.ranks[1] !== null },
        },
      ];
    });
    return {
      hits: hits.slice(0, options.limit),
      retrieval: vector.searched && this.#indexer.upToDate ? 'hybrid' : 'keyword',
    };
  }

  /**
   * The question's words, rarest first, split at how common they are: bm25 must read every chunk holding
   * a word to rank it, so a word in a large share of the chunks costs much and tells little.
   */
  #byRarity(words: string[]): { telling: string[]; common: string[] } {
    const counts = this.#store.noteChunks.chunksWithTerms(words);
    const limit = Math.max(commonWordFloor, this.#store.noteChunks.count() * commonWordShare);
    const sorted = [...words].sort((a, b) => counts.get(a)! - counts.get(b)!);
    return {
      telling: sorted.filter((word) => counts.get(word)! <= limit).slice(0, maxWords),
      common: sorted.filter((word) => counts.get(word)! > limit),
    };
  }

  /** Chunks similar in meaning and similar enough to count, best first; none without vectors. */
  async #vectorMatches(
    query: string,
    noteId: number | undefined,
  ): Promise<{ searched: boolean; matches: { id: number; score: number }[] }> {
    const index = this.#indexer.vectorIndex();
    if (!index || index.size === 0) return { searched: false, matches: [] };
    const [queryVector] = await this.#embeddings.embed([query]);
    if (!queryVector) return { searched: false, matches: [] };
    const inNote =
      noteId === undefined ? null : new Set(this.#store.noteChunks.inNote(noteId).map((c) => c.id));
    const matches = index
      .search(queryVector, candidates, inNote ? (id) => inNote.has(id) : undefined)
      .filter((match) => match.score >= vectorRelevance);
    return { searched: true, matches };
  }
}
