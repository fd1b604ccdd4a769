import { isAppError } from '../../../src-shared/errors';
import type {
  ImportReport,
  Note,
  NoteList,
  NoteSort,
  NoteSummary,
  NotesIndexStatus,
} from '../../../src-shared/notes';
import { noteSorts } from '../../../src-shared/notes';
import type { RpcClient } from '../../../src-shared/rpc-client';
import { saveFile } from '../../lib/save-file';
import type { Router } from '../../lib/state/router.svelte';
import type { ToastState } from '../../lib/state/toasts.svelte';
import { NoteDraft, type NoteChanges } from './note-draft.svelte';
import { isPermanentSaveError, noteErrorText, type NoteAction } from './note-errors';

export type NoteMode = 'edit' | 'split' | 'preview';
export const noteModes: readonly NoteMode[] = ['edit', 'split', 'preview'];

/** Lines of the open note to scroll to and mark (a cited passage). */
export interface LineHighlight {
  noteId: number;
  /** 1-based, inclusive. */
  from: number;
  to: number;
  /** Each request is new, even for the same lines. */
  seq: number;
}

export interface NotesServices {
  api: RpcClient;
  toasts: ToastState;
  router: Router;
}

const storageKeys = {
  mode: 'phidesk.notes.mode',
  sort: 'phidesk.notes.sort',
  /** Changes not confirmed when the page went away, recovered at the next start. */
  unsaved: 'phidesk.notes.unsaved',
} as const;

/** Split needs room for two panes: the default from this window width, Edit below it. */
const splitMinWidth = 1100;

interface UnsavedBackup {
  [id: string]: { changes: NoteChanges; at: number };
}

/**
 * The Notes view: the list (folder, tag, words and sort), the open note with its unsaved edits, the index
 * and import status. It lives as long as the app, so edits still saving while another view is shown are
 * kept, and anything (a cited source in an answer) can `open` a note at some lines.
 */
export class NotesState {
  list = $state<NoteList>({ notes: [], folders: [], tags: [] });
  /** The first list has arrived (until then no empty state is shown). */
  loaded = $state(false);
  listError = $state<string | null>(null);
  /** Only notes in this folder (and its sub-folders); null: all notes. */
  folder = $state<string | null>(null);
  tag = $state<string | null>(null);
  /** The filter box as typed; the list follows it a moment later. */
  query = $state('');
  sort = $state<NoteSort>(readSort());
  filtered = $derived(this.folder !== null || this.tag !== null || this.query.trim() !== '');

  selectedId = $state<number | null>(null);
  /** The open note as shown: what the store holds with the unsaved edits laid over it. */
  note = $state<Note | null>(null);
  loadingNote = $state(false);
  /** Bumped whenever the editor must take the note's body afresh (opened, or changed elsewhere). */
  docVersion = $state(0);
  highlight = $state<LineHighlight | null>(null);
  /** The note whose title gets the cursor once shown (a new note). */
  titleFocusFor = $state<number | null>(null);

  index = $state<NotesIndexStatus | null>(null);
  importing = $state(false);
  importReport = $state<ImportReport | null>(null);
  importError = $state<string | null>(null);
  /** No notes at all (not merely none matching). */
  empty = $derived(
    this.loaded &&
      !this.filtered &&
      this.list.notes.length === 0 &&
      !this.listError &&
      this.note === null &&
      !this.importing,
  );

  #storedMode = $state<NoteMode | null>(readMode());
  #wide = $state(window.innerWidth >= splitMinWidth);

  #api: RpcClient;
  #toasts: ToastState;
  #router: Router;
  // Not reactive on purpose: a draft is created while the open note is read (in templates), and its own
  // fields are the reactive part.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #drafts = new Map<number, NoteDraft>();
  #listSeq = 0;
  #refreshTimer: ReturnType<typeof setTimeout> | null = null;
  #queryTimer: ReturnType<typeof setTimeout> | null = null;
  #highlightSeq = 0;
  /** Counts edits, so a note read back while one was typed is not shown over it. */
  #editSeq = 0;
  #recovered = false;

  constructor({ api, toasts, router }: NotesServices) {
    this.#api = api;
    this.#toasts = toasts;
    this.#router = router;

    // Created, changed, moved, deleted anywhere: the list is read again (and the open note if it moved on).
    api.on('notes.changed', () => this.#refreshSoon(100));
    api.on('notes.index', (status) => this.#indexed(status));
    api.onStatus((status) => status === 'open' && void this.#connected());
    if (api.status === 'open') void this.#connected();

    const wide = window.matchMedia(`(min-width: ${splitMinWidth}px)`);
    this.#wide = wide.matches;
    wide.addEventListener('change', (event) => (this.#wide = event.matches));

    // What is typed is saved when the page is hidden or goes away, not a second later.
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'hidden') this.flushAll();
    });
    window.addEventListener('pagehide', () => this.#flushFinal());
    window.addEventListener('beforeunload', (event) => {
      this.#flushFinal();
      // Saves have been failing: leaving now could lose text (it is kept for the next start, but ask).
      if ([...this.#drafts.values()].some((draft) => draft.state === 'failed')) event.preventDefault();
    });
  }

  // ---------------------------------------------------------------------------------------------------
  // The list

  /** Edit, Split or Preview: the person's choice once made, else Split in a wide window. */
  get mode(): NoteMode {
    return this.#storedMode ?? (this.#wide ? 'split' : 'edit');
  }

  set mode(mode: NoteMode) {
    this.#storedMode = mode;
    store(storageKeys.mode, mode);
  }

  async refresh(): Promise<void> {
    const seq = ++this.#listSeq;
    const query = this.query.trim();
    try {
      const list = await this.#api.call('notes.list', {
        ...(this.folder === null ? {} : { folder: this.folder }),
        ...(this.tag === null ? {} : { tag: this.tag }),
        ...(query ? { query } : {}),
        sort: this.sort,
      });
      if (seq !== this.#listSeq) return;
      this.list = list;
      this.loaded = true;
      this.listError = null;
      // The folder or tag shown is gone (its last note moved away): show all notes again.
      if (this.folder !== null && !list.folders.includes(this.folder)) this.showFolder(null);
      else if (this.tag !== null && !list.tags.some(({ tag }) => tag === this.tag)) this.showTag(null);
      else this.#syncOpenNote(list.notes);
    } catch (error) {
      if (seq === this.#listSeq) this.listError = noteErrorText(error, 'list');
    }
  }

  showFolder(folder: string | null): void {
    this.folder = folder;
    void this.refresh();
  }

  showTag(tag: string | null): void {
    this.tag = tag;
    void this.refresh();
  }

  setSort(sort: NoteSort): void {
    this.sort = sort;
    store(storageKeys.sort, sort);
    void this.refresh();
  }

  /** The filter box changed: the list follows when typing pauses. */
  setQuery(query: string): void {
    this.query = query;
    if (this.#queryTimer) clearTimeout(this.#queryTimer);
    this.#queryTimer = setTimeout(() => void this.refresh(), 150);
  }

  clearFilters(): void {
    this.folder = null;
    this.tag = null;
    this.query = '';
    void this.refresh();
  }

  // ---------------------------------------------------------------------------------------------------
  // The open note

  /** The open note's save state, for the editor's header. */
  get draft(): NoteDraft | null {
    return this.note ? this.#draftFor(this.note.id) : null;
  }

  /**
   * Opens a note (null: none), showing the Notes view on it. With `lines`, scrolls the editor to them
   * and marks them until the next edit (a cited passage). The note left behind is saved at once.
   */
  async open(
    id: number | null,
    options: { lines?: readonly [number, number]; replace?: boolean } = {},
  ): Promise<void> {
    if (id !== null && options.lines) {
      const [from, to] = options.lines;
      this.highlight = {
        noteId: id,
        from: Math.min(from, to),
        to: Math.max(from, to),
        seq: ++this.#highlightSeq,
      };
      // The marked lines are in the editor; Preview has none.
      if (this.mode === 'preview') this.#storedMode = this.#wide ? 'split' : 'edit';
    }
    const route = this.#router.route;
    if (route.view !== 'notes' || route.id !== id) {
      this.#router.go('notes', id, options.replace ? { replace: true } : {});
    }
    if (id === this.selectedId && (id === null || this.note?.id === id)) return;
    if (this.note) void this.#drafts.get(this.note.id)?.flush();
    this.selectedId = id;
    if (id === null) {
      this.note = null;
      this.loadingNote = false;
      return;
    }
    this.loadingNote = true;
    try {
      const note = await this.#api.call('notes.get', { id });
      if (this.selectedId === id) this.#show(note);
    } catch (error) {
      if (this.selectedId !== id) return;
      this.#error(error, 'open');
      if (isAppError(error, 'not_found')) void this.open(null, { replace: true });
    } finally {
      if (this.selectedId === id) this.loadingNote = false;
    }
  }

  setTitle(title: string): void {
    this.#edit({ title });
  }

  setBody(body: string): void {
    this.#edit({ body });
  }

  setTags(tags: string[]): void {
    this.#edit({ tags }, true);
  }

  /** Moves the open note to a folder ('' for the top level). */
  setFolder(folder: string): void {
    if (this.note && this.note.folder !== folder) this.#edit({ folder }, true);
  }

  /** Saves every note's waiting edits now (the editor lost focus, the view or the page is left). */
  flushAll(): void {
    for (const draft of this.#drafts.values()) void draft.flush();
  }

  /** Saves the open note's edits now and waits for it. */
  async flushOpen(): Promise<void> {
    if (this.note) await this.#drafts.get(this.note.id)?.flush();
  }

  // ---------------------------------------------------------------------------------------------------
  // Actions

  /** A new note in the folder (and with the tag) being shown; the cursor goes to its title. */
  async create(): Promise<void> {
    try {
      const note = await this.#api.call('notes.create', {
        folder: this.folder ?? '',
        tags: this.tag === null ? [] : [this.tag],
      });
      // A filter by words would hide it at once.
      if (this.query) this.query = '';
      this.titleFocusFor = note.id;
      this.#openLoaded(note);
      void this.refresh();
    } catch (error) {
      this.#error(error, 'create');
    }
  }

  async duplicate(id: number): Promise<void> {
    try {
      await this.#drafts.get(id)?.flush();
      const copy = await this.#api.call('notes.duplicate', { id });
      this.#openLoaded(copy);
      this.#toasts.show(`Duplicated as “${copy.title || 'Untitled'}”.`);
      void this.refresh();
    } catch (error) {
      this.#error(error, 'duplicate');
    }
  }

  /** Moves the note to the bin at once and offers Undo (the store keeps it until the next start). */
  async delete(id: number): Promise<void> {
    const draft = this.#drafts.get(id);
    try {
      // What was typed last is in the note that Undo brings back.
      await draft?.flush();
      await this.#api.call('notes.delete', { ids: [id] });
    } catch (error) {
      this.#error(error, 'delete');
      return;
    }
    draft?.discard();
    this.#drafts.delete(id);
    if (this.selectedId === id) void this.open(null, { replace: true });
    void this.refresh();
    this.#toasts.show('Note deleted.', { action: { label: 'Undo', run: () => void this.restore(id) } });
  }

  async restore(id: number): Promise<void> {
    try {
      await this.#api.call('notes.restore', { ids: [id] });
      void this.refresh();
      // Back where it was, unless another note was opened meanwhile.
      if (this.selectedId === null && this.#router.current === 'notes') await this.open(id);
    } catch (error) {
      this.#error(error, 'restore');
    }
  }

  async exportNote(id: number): Promise<void> {
    try {
      await this.#drafts.get(id)?.flush();
      saveFile(await this.#api.call('notes.export', { id }));
    } catch (error) {
      this.#error(error, 'export');
    }
  }

  /** Writes the notes of a folder (null: all) as Markdown files into a directory; throws words. */
  async exportFolder(
    directory: string,
    folder: string | null,
  ): Promise<{ written: number; directory: string }> {
    this.flushAll();
    try {
      return await this.#api.call('notes.exportFolder', {
        directory,
        ...(folder === null ? {} : { folder }),
      });
    } catch (error) {
      throw new Error(noteErrorText(error, 'export-folder'), { cause: error });
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // Import and index

  /**
   * Asks for files (or a folder) with the system's dialog and imports them; 'form' when this host has
   * no dialog (browser mode), so the paths are typed instead.
   */
  async chooseImport(folder: boolean): Promise<'form' | 'started' | 'cancelled'> {
    try {
      const chosen = await this.#api.call('notes.chooseImport', { folder });
      if (chosen.handledBy === 'renderer') return 'form';
      if (chosen.paths.length === 0) return 'cancelled';
      void this.import(chosen.paths, this.folder ?? '');
      return 'started';
    } catch (error) {
      this.#error(error, 'import');
      return 'cancelled';
    }
  }

  /** Imports files and folders into a notes folder; the report stays until the next import. */
  async import(paths: string[], folder: string): Promise<void> {
    this.importing = true;
    this.importReport = null;
    this.importError = null;
    try {
      this.importReport = await this.#api.call('notes.import', { paths, folder });
    } catch (error) {
      this.importError = isAppError(error, 'cancelled')
        ? 'The import was cancelled. Files imported before it stopped are kept.'
        : noteErrorText(error, 'import');
    } finally {
      this.importing = false;
      void this.refresh();
    }
  }

  async cancelImport(): Promise<void> {
    try {
      await this.#api.call('notes.cancelImport', {});
    } catch (error) {
      this.#error(error, 'import');
    }
  }

  clearImport(): void {
    this.importReport = null;
    this.importError = null;
  }

  async setIndexing(paused: boolean): Promise<void> {
    try {
      this.index = await this.#api.call('notes.setIndexing', { paused });
    } catch (error) {
      this.#error(error, 'index');
    }
  }

  // ---------------------------------------------------------------------------------------------------
  // Inside

  #draftFor(id: number): NoteDraft {
    let draft = this.#drafts.get(id);
    if (!draft) {
      draft = new NoteDraft(id, {
        save: (noteId, changes) => this.#api.call('notes.update', { id: noteId, ...changes }),
        saved: (note) => this.#saved(note),
        failed: (noteId, error, attempt) => this.#saveFailed(noteId, error, attempt),
        describe: (error) => noteErrorText(error, 'save'),
      });
      this.#drafts.set(id, draft);
    }
    return draft;
  }

  #edit(changes: NoteChanges, immediate = false): void {
    const note = this.note;
    if (!note) return;
    this.#editSeq++;
    Object.assign(note, changes);
    this.#draftFor(note.id).edit(changes, { immediate });
    // The row shows the new title (or folder, tags) before the list is read again.
    const row = this.list.notes.find((summary) => summary.id === note.id);
    if (!row) return;
    if (changes.title !== undefined) row.title = changes.title;
    if (changes.folder !== undefined) row.folder = changes.folder;
    if (changes.tags) row.tags = changes.tags;
  }

  /** A save went through: the store's fields that typing does not change (times, revision, index). */
  #saved(saved: Note): void {
    const meta = {
      updatedAt: saved.updatedAt,
      createdAt: saved.createdAt,
      revision: saved.revision,
      indexed: saved.indexed,
      preview: saved.preview,
    };
    if (this.note?.id === saved.id) Object.assign(this.note, meta);
    const row = this.list.notes.find((summary) => summary.id === saved.id);
    if (row) Object.assign(row, meta);
  }

  #saveFailed(id: number, error: unknown, attempt: number): boolean {
    const permanent = isPermanentSaveError(error);
    // Once for a run of failures; the header keeps saying it.
    if (attempt === 1) {
      const title = this.#titleOf(id);
      this.#toasts.show(
        permanent
          ? `Not saved${title}: ${noteErrorText(error, 'save')}`
          : `Could not save${title} — retrying. Your text is kept.`,
        { tone: 'error', durationMs: 8000 },
      );
    }
    return !permanent;
  }

  #titleOf(id: number): string {
    const title =
      this.note?.id === id ? this.note.title : this.list.notes.find((note) => note.id === id)?.title;
    return title ? ` “${title}”` : '';
  }

  #openLoaded(note: Note): void {
    if (this.note) void this.#drafts.get(this.note.id)?.flush();
    this.selectedId = note.id;
    this.#show(note);
    this.#router.go('notes', note.id);
  }

  /** Shows a note as read from the store, with any edits of it still unsaved laid over it. */
  #show(note: Note): void {
    this.note = { ...note, ...this.#draftFor(note.id).unsaved };
    this.loadingNote = false;
    this.docVersion++;
  }

  /** Reads the list again soon: several changes in a row (an import, typing) refresh once. */
  #refreshSoon(delayMs: number): void {
    if (this.#refreshTimer) clearTimeout(this.#refreshTimer);
    this.#refreshTimer = setTimeout(() => {
      this.#refreshTimer = null;
      void this.refresh();
    }, delayMs);
  }

  /** After a refresh: the open note changed elsewhere (its revision moved on) is read again. */
  #syncOpenNote(rows: NoteSummary[]): void {
    const note = this.note;
    if (!note) return;
    const row = rows.find((summary) => summary.id === note.id);
    // Not in the list: deleted elsewhere, or moved out of the folder shown; reading it tells which.
    if (!row) {
      void this.#reloadOpen(note.id);
      return;
    }
    note.indexed = row.indexed;
    if (row.revision !== note.revision || row.updatedAt !== note.updatedAt) void this.#reloadOpen(note.id);
  }

  /** Reads the open note again when it changed elsewhere; never over edits not yet saved. */
  async #reloadOpen(id: number): Promise<void> {
    if (this.#drafts.get(id)?.dirty) return;
    const edits = this.#editSeq;
    try {
      const fresh = await this.#api.call('notes.get', { id });
      const note = this.note;
      if (note?.id !== id || edits !== this.#editSeq || this.#drafts.get(id)?.dirty) return;
      // An answer overtaken by a save of ours: what is shown is newer.
      if (fresh.revision < note.revision) return;
      const bodyChanged = fresh.body !== note.body;
      this.note = fresh;
      if (bodyChanged) this.docVersion++;
    } catch (error) {
      if (this.note?.id !== id || !isAppError(error, 'not_found')) return;
      // Deleted elsewhere (another window): nothing left to show.
      this.#drafts.get(id)?.discard();
      this.#drafts.delete(id);
      this.#toasts.show('The open note was deleted elsewhere.');
      void this.open(null, { replace: true });
    }
  }

  #indexed(status: NotesIndexStatus): void {
    const before = this.index;
    this.index = status;
    // Notes newly indexed lose their "not indexed yet" mark.
    if (before && before.notes.indexed !== status.notes.indexed && !this.#refreshTimer) {
      this.#refreshSoon(400);
    }
  }

  async #connected(): Promise<void> {
    void this.refresh();
    this.#api
      .call('notes.indexStatus', {})
      .then((status) => (this.index = status))
      .catch(() => {});
    // Saves that failed while the connection was down go now.
    this.flushAll();
    if (!this.#recovered) {
      this.#recovered = true;
      await this.#recoverUnsaved();
    }
  }

  /** The page is going away: send what waits, and keep a copy in case it does not arrive. */
  #flushFinal(): void {
    const backup: UnsavedBackup = {};
    for (const draft of this.#drafts.values()) {
      if (!draft.dirty) continue;
      backup[draft.id] = { changes: draft.unsaved, at: Date.now() };
      draft.flushFinal();
    }
    if (Object.keys(backup).length > 0) store(storageKeys.unsaved, JSON.stringify(backup));
  }

  /**
   * Edits kept when the page went away (see #flushFinal) whose save did not reach the store: saved now,
   * unless the note changed since (elsewhere: that newer text wins) or is gone.
   */
  async #recoverUnsaved(): Promise<void> {
    let backup: UnsavedBackup;
    try {
      backup = JSON.parse(localStorage.getItem(storageKeys.unsaved) ?? '{}') as UnsavedBackup;
    } catch {
      backup = {};
    }
    localStorage.removeItem(storageKeys.unsaved);
    for (const [key, { changes, at }] of Object.entries(backup)) {
      const id = Number(key);
      try {
        const note = await this.#api.call('notes.get', { id });
        const differs = (Object.keys(changes) as (keyof NoteChanges)[]).some(
          (field) => JSON.stringify(note[field]) !== JSON.stringify(changes[field]),
        );
        if (!differs || note.updatedAt > at) continue;
        await this.#api.call('notes.update', { id, ...changes });
        this.#toasts.show(`Recovered the last unsaved edits of “${note.title || 'Untitled'}”.`);
        if (this.note?.id === id) await this.#reloadOpen(id);
      } catch {
        // Gone, or the store is unavailable: nothing more can be done with it.
      }
    }
  }

  #error(error: unknown, action: NoteAction): void {
    this.#toasts.show(noteErrorText(error, action), { tone: 'error', durationMs: 8000 });
  }
}

function readMode(): NoteMode | null {
  const stored = read(storageKeys.mode);
  return noteModes.includes(stored as NoteMode) ? (stored as NoteMode) : null;
}

function readSort(): NoteSort {
  const stored = read(storageKeys.sort);
  return (noteSorts as readonly string[]).includes(stored ?? '') ? (stored as NoteSort) : 'updated';
}

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function store(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // Full or unavailable: the choice lasts this session only.
  }
}
