/** Notes, their index and the answers drawn from them, as the contract carries them. */

/** Where an imported note came from; written notes have none. */
export interface NoteSource {
  /** The file's real path (after links) when it was imported. */
  path: string;
  kind: 'md' | 'txt' | 'pdf';
  /** SHA-256 of the file's bytes: re-importing skips a file whose hash is unchanged. */
  sha256: string;
}

/** A note in a list: everything but the body. */
export interface NoteSummary {
  id: number;
  title: string;
  /** Slash-separated folder path, '' for the top level ("Physics/Mechanics"). */
  folder: string;
  tags: string[];
  /** The first words of the body, for the list. */
  preview: string;
  source: NoteSource | null;
  createdAt: number;
  updatedAt: number;
  /** Bumped by every change of title or body; the index keeps the revision it has read. */
  revision: number;
  /** True once the index holds this revision's chunks. */
  indexed: boolean;
}

export interface Note extends NoteSummary {
  body: string;
  /** For an imported PDF: the 1-based line on which each page starts (page n starts at `pageLines[n-1]`). */
  pageLines: number[] | null;
}

export const noteSorts = ['updated', 'created', 'title'] as const;
export type NoteSort = (typeof noteSorts)[number];

export interface NoteList {
  notes: NoteSummary[];
  /** Every folder that holds a note (and each parent of one), sorted. */
  folders: string[];
  tags: { tag: string; count: number }[];
}

/** What an import did, file by file: it never stops at a bad file. */
export interface ImportReport {
  imported: number;
  updated: number;
  unchanged: number;
  failed: { path: string; reason: string }[];
  /** The notes created or updated, in the order of the files. */
  noteIds: number[];
  /** Stopped by the person before every file was looked at; the counts say what was done. */
  cancelled: boolean;
}

/** The notes index at a glance: what the Notes view shows while it works. */
export interface NotesIndexStatus {
  /** `paused`: the user cancelled; it resumes where it stopped when asked (or never by itself). */
  state: 'idle' | 'indexing' | 'paused';
  notes: { total: number; indexed: number };
  chunks: number;
  /** Null without an embedding model: keyword search only. */
  embeddings: { model: string; total: number; embedded: number } | null;
  /** The note being indexed now. */
  current: { noteId: number; title: string } | null;
  /** A file import under way. */
  import: { done: number; total: number; current: string } | null;
}

/** One retrieved piece of a note. */
export interface NoteChunkHit {
  chunkId: number;
  noteId: number;
  title: string;
  headingPath: string[];
  /** 1-based, inclusive, in the note's body. */
  lineStart: number;
  lineEnd: number;
  /** For a PDF, the pages the lines are on. */
  pageStart: number | null;
  pageEnd: number | null;
  text: string;
  /** Fused rank score (reciprocal rank fusion), higher is better. */
  score: number;
  /** Which searches found it. */
  via: { keyword: boolean; vector: boolean };
}

/** A numbered source of a notes answer: `[n]` in the text is `sources[n-1]`. */
export type NoteCitation = Omit<NoteChunkHit, 'score' | 'via'> & { number: number };

/** The sources of one notes answer. */
export interface NotesAnswerSources {
  /** The answer (assistant message) they belong to. */
  messageId: number;
  kind: 'ask' | 'summary';
  sources: NoteCitation[];
  /** `keyword`: not every passage had a vector yet, so retrieval was by words only. */
  retrieval: 'hybrid' | 'keyword';
  /** Nothing in the notes matched well enough: the answer says so instead of inventing one. */
  notFound: boolean;
}

/** What a note-assistant conversation remembers (its `state`). */
export interface NotesAnswerState {
  /** The note asked about, summarised or made into flashcards, when it is about one note. */
  noteId: number | null;
  answers: NotesAnswerSources[];
  /** The cards each flashcards answer made. */
  flashcards: { messageId: number; cardIds: number[] }[];
}
