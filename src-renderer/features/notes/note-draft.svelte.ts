import type { Note } from '../../../src-shared/notes';
import { Autosave, type AutosaveTiming, type SaveState } from './autosave';

/** The fields of a note the person edits; a save sends only those that changed. */
export type NoteChanges = Partial<Pick<Note, 'title' | 'body' | 'tags' | 'folder'>>;

export interface NoteDraftOptions {
  save: (id: number, changes: NoteChanges) => Promise<Note>;
  saved: (note: Note, changes: NoteChanges) => void;
  /** Says what failed; returns false when retrying cannot mend it (see Autosave). */
  failed: (id: number, error: unknown, attempt: number) => boolean;
  /** The words for a failure, shown in the editor's header. */
  describe: (error: unknown) => string;
  timing?: Partial<AutosaveTiming>;
}

/**
 * One note's unsaved changes and how saving them goes, for the editor's header ("Saving…", "Saved",
 * "Not saved — …"). The timing and the never-lose rules are Autosave's; this makes them reactive.
 */
export class NoteDraft {
  readonly id: number;
  state = $state<SaveState>('saved');
  /** Why it is not saved, in words; null unless the last save failed. */
  error = $state<string | null>(null);
  #autosave: Autosave<NoteChanges, Note>;

  constructor(id: number, options: NoteDraftOptions) {
    this.id = id;
    this.#autosave = new Autosave<NoteChanges, Note>({
      save: (changes) => options.save(id, changes),
      saved: (note, changes) => options.saved(note, changes),
      failed: (error, attempt) => options.failed(id, error, attempt),
      changed: (state, error) => {
        this.state = state;
        this.error = state === 'failed' && error !== null ? options.describe(error) : null;
      },
      ...(options.timing ? { timing: options.timing } : {}),
    });
  }

  /** Not all typed is confirmed by the store yet. */
  get dirty(): boolean {
    return this.#autosave.dirty;
  }

  /** The newest value of every field not yet confirmed, to lay over the note as read from the store. */
  get unsaved(): NoteChanges {
    return this.#autosave.unsaved;
  }

  edit(changes: NoteChanges, options: { immediate?: boolean } = {}): void {
    this.#autosave.edit(changes, options);
  }

  flush(): Promise<void> {
    return this.#autosave.flush();
  }

  flushFinal(): void {
    this.#autosave.flushFinal();
  }

  discard(): void {
    this.#autosave.discard();
  }
}
