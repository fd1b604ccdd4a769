import { createContext } from 'svelte';
import type { ChatState } from '../features/chat/chat-state.svelte';
import type { ConversationList } from '../features/chat/conversation-list.svelte';
import type { FlashcardsState } from '../features/flashcards/flashcards-state.svelte';
import type { MistakeState } from '../features/mistakes/mistake-state.svelte';
import type { ModelsState } from '../features/models/models-state.svelte';
import type { NotesAsk } from '../features/notes/notes-ask.svelte';
import type { NotesState } from '../features/notes/notes-state.svelte';
import type { TutorState } from '../features/tutor/tutor-state.svelte';
import type { BackendState } from './state/backend.svelte';
import type { Router } from './state/router.svelte';
import type { SettingsState } from './state/settings.svelte';
import type { ToastState } from './state/toasts.svelte';

/** App-wide state, created once in App.svelte and read by any view. */
export interface AppContext {
  backend: BackendState;
  router: Router;
  settings: SettingsState;
  toasts: ToastState;
  chat: ChatState;
  conversations: ConversationList;
  models: ModelsState;
  tutor: TutorState;
  mistakes: MistakeState;
  /** Notes; any view can open one at some lines (a cited source): `notes.open(id, { lines: [12, 18] })`. */
  notes: NotesState;
  flashcards: FlashcardsState;
  /** "Ask my notes" and "Summarise" in the Notes view: one note-assistant conversation and its sources. */
  notesAsk: NotesAsk;
  /** Opens the search palette (Ctrl/Cmd+K). */
  openSearch: () => void;
}

export const [getAppContext, setAppContext] = createContext<AppContext>();
