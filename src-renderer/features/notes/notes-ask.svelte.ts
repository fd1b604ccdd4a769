import { isAppError } from '../../../src-shared/errors';
import { limits } from '../../../src-shared/limits';
import type { NoteCitation, NotesAnswerSources, NotesAnswerState } from '../../../src-shared/notes';
import type { ChatStarted, ConversationDetail, MessageView } from '../../../src-shared/types';
import { AnswerFollower, type FollowerServices } from '../../lib/state/answer-follower.svelte';
import { noteErrorText, type NoteAction } from './note-errors';
import type { NotesState } from './notes-state.svelte';

export interface NotesAskServices extends FollowerServices {
  /** Opens a cited note at its lines, and shows a saved summary. */
  notes: NotesState;
}

/** A question and the answer to it, as the panel shows them (oldest first). */
export interface NotesExchange {
  question: MessageView | null;
  answer: MessageView | null;
  /** The answer's numbered sources and how they were found (null until the store says). */
  sources: NotesAnswerSources | null;
}

const storageKey = 'phidesk.notes.ask';

/**
 * "Ask my notes" and "Summarise" in the Notes view: one note-assistant conversation at a time, its
 * questions and answers (each with its numbered sources), the answer being written, and whether the panel
 * is shown. A question asked with a conversation open is a follow-up in it; the note asked about (or
 * summarised) bounds every question in it. It lives as long as the app, so an answer goes on being
 * followed while another view is shown.
 */
export class NotesAsk {
  /** Follows the answer being written; it also holds which conversation is open. */
  answer: AnswerFollower<ConversationDetail>;
  detail = $state<ConversationDetail | null>(null);
  /** The panel is shown. */
  shown = $state(false);
  /** A question or summary is being sent (before its answer starts). */
  starting = $state(false);
  error = $state<string | null>(null);
  /** Bumped to put the cursor in the question box. */
  focusRequest = $state(0);
  /** Summaries already saved as notes: answer id → the new note's id. */
  saved = $state<Record<number, number>>({});

  /** The questions and answers of the open conversation, each answer with its sources. */
  exchanges = $derived.by(() => {
    const answers = readState(this.detail?.state).answers;
    const exchanges: NotesExchange[] = [];
    for (const message of this.detail?.messages ?? []) {
      if (message.role === 'user') exchanges.push({ question: message, answer: null, sources: null });
      else if (message.role === 'assistant') {
        const sources = answers.find((item) => item.messageId === message.id) ?? null;
        const last = exchanges.at(-1);
        if (last && last.answer === null) Object.assign(last, { answer: message, sources });
        else exchanges.push({ question: null, answer: message, sources });
      }
    }
    return exchanges;
  });

  /** The note asked about when no conversation is open yet (null: all notes). */
  #scope = $state<number | null>(null);
  #services: NotesAskServices;

  constructor(services: NotesAskServices) {
    this.#services = services;
    const { api, toasts } = services;
    this.answer = new AnswerFollower(services, {
      read: (id) => api.call('conversations.get', { id }),
      show: (detail) => {
        this.detail = detail;
        this.#remember();
      },
      // Deleted elsewhere: a new question starts afresh. Other failures are worth saying.
      failed: (error) => (isAppError(error, 'not_found') ? this.reset(this.noteId) : toasts.error(error)),
      openAction: 'open-conversation',
    });
    api.on('conversations.changed', ({ ids }) => {
      const id = this.conversationId;
      if (id !== null && (ids.length === 0 || ids.includes(id))) void this.answer.reload();
    });
    this.#restore();
  }

  get conversationId(): number | null {
    return this.answer.conversationId;
  }

  /** What the open conversation remembers: the note it is about and each answer's sources. */
  get state(): AskState {
    return readState(this.detail?.state);
  }

  /** The note every question is bounded to (null: all notes). */
  get noteId(): number | null {
    return this.conversationId === null ? this.#scope : this.state.noteId;
  }

  /** The text of an answer as shown now: what is being written, else what the store holds. */
  textOf(message: MessageView): string {
    const live = this.answer.live;
    return live?.messageId === message.id ? live.text : message.content;
  }

  isLive(message: MessageView): boolean {
    return this.answer.live?.messageId === message.id;
  }

  /** Shows the panel to ask all notes: the conversation open is kept when it is about all notes. */
  show(): void {
    if (this.noteId !== null) this.reset(null);
    this.#reveal();
  }

  /** Shows the panel to ask about one note: the conversation open is kept when it is about that note. */
  showFor(noteId: number): void {
    if (this.noteId !== noteId) this.reset(noteId);
    this.#reveal();
  }

  hide(): void {
    this.shown = false;
    this.#remember();
  }

  /** Lets go of the open conversation: the next question starts a new one, about `noteId` (null: all). */
  reset(noteId: number | null = null): void {
    void this.answer.open(null);
    this.detail = null;
    this.#scope = noteId;
    this.error = null;
    this.#remember();
  }

  /**
   * Asks the notes (or one note): a follow-up in the open conversation when it is about the same notes,
   * else a new conversation. Returns whether it was sent (a failure is in `error`).
   */
  async ask(question: string, noteId: number | null = this.noteId): Promise<boolean> {
    if (noteId !== this.noteId) this.reset(noteId);
    const conversationId = this.conversationId;
    return this.#start('ask', () =>
      this.#services.api.call('notes.ask', {
        question,
        ...(noteId === null ? {} : { noteId }),
        ...(conversationId === null ? {} : { conversationId }),
      }),
    );
  }

  /** A summary of one note, streamed into the panel as a new conversation about that note. */
  async summarise(noteId: number): Promise<boolean> {
    this.reset(noteId);
    this.#reveal(false);
    // The notes' edits not saved yet are in what is summarised.
    await this.#services.notes.flushOpen();
    return this.#start('summarise', () => this.#services.api.call('notes.summarise', { id: noteId }));
  }

  async stop(): Promise<void> {
    await this.answer.stop();
  }

  /** Opens a cited note at the cited lines. */
  async openSource(source: NoteCitation): Promise<void> {
    await this.#services.notes.open(source.noteId, { lines: [source.lineStart, source.lineEnd] });
  }

  /** Saves a summary as a new note beside the one summarised ("Summary of …", same folder). */
  async saveSummary(message: MessageView): Promise<void> {
    const { api, toasts, notes } = this.#services;
    const noteId = this.state.noteId;
    if (noteId === null || this.saved[message.id] !== undefined) return;
    try {
      const original = await api.call('notes.get', { id: noteId });
      const title = `Summary of ${original.title.trim() || 'Untitled'}`.slice(0, limits.noteTitleChars);
      const note = await api.call('notes.create', {
        title,
        body: `${message.content.trim()}\n`,
        folder: original.folder,
        tags: [],
      });
      this.saved[message.id] = note.id;
      void notes.refresh();
      toasts.show(`Saved as “${note.title}”.`, {
        action: { label: 'Open', run: () => void notes.open(note.id) },
      });
    } catch (error) {
      toasts.show(noteErrorText(error, 'save-summary'), { tone: 'error', durationMs: 8000 });
    }
  }

  #reveal(focus = true): void {
    this.shown = true;
    if (focus) this.focusRequest++;
    this.#remember();
  }

  async #start(action: NoteAction, call: () => Promise<ChatStarted>): Promise<boolean> {
    this.starting = true;
    this.error = null;
    try {
      const started = await call();
      this.answer.take(started);
      const detail = await this.#services.api.call('conversations.get', { id: started.conversationId });
      if (this.conversationId === started.conversationId) this.detail = detail;
      this.#remember();
      return true;
    } catch (error) {
      this.error = noteErrorText(error, action);
      // The question may have been saved with an error answer: show it.
      await this.answer.reload();
      return false;
    } finally {
      this.starting = false;
    }
  }

  /** The panel and its conversation come back after a reload of the page. */
  #remember(): void {
    try {
      sessionStorage.setItem(
        storageKey,
        JSON.stringify({ conversationId: this.conversationId, scope: this.#scope, shown: this.shown }),
      );
    } catch {
      // Unavailable: it is not kept across a reload.
    }
  }

  #restore(): void {
    let stored: { conversationId?: unknown; scope?: unknown; shown?: unknown } = {};
    try {
      stored = JSON.parse(sessionStorage.getItem(storageKey) ?? '{}') as typeof stored;
    } catch {
      return;
    }
    this.shown = stored.shown === true;
    this.#scope = typeof stored.scope === 'number' ? stored.scope : null;
    const id = stored.conversationId;
    if (typeof id !== 'number') return;
    const { api } = this.#services;
    const open = () => void this.answer.open(id);
    if (api.status === 'open') return open();
    const stopWaiting = api.onStatus((status) => {
      if (status !== 'open') return;
      stopWaiting();
      open();
    });
  }
}

/** What the panel reads of a note-assistant conversation's state (it may hold more, e.g. flashcards). */
export type AskState = Pick<NotesAnswerState, 'noteId' | 'answers'>;

/** A note-assistant conversation's state as the panel reads it: anything else is no answers yet. */
export function readState(state: unknown): AskState {
  if (typeof state !== 'object' || state === null) return { noteId: null, answers: [] };
  const { noteId, answers } = state as Partial<AskState>;
  return {
    noteId: typeof noteId === 'number' ? noteId : null,
    answers: Array.isArray(answers) ? answers : [],
  };
}
