import type { Component } from 'svelte';
import type { LucideIcon } from '@lucide/svelte';
import MessagesSquare from '@lucide/svelte/icons/messages-square';
import GraduationCap from '@lucide/svelte/icons/graduation-cap';
import ListChecks from '@lucide/svelte/icons/list-checks';
import NotebookPen from '@lucide/svelte/icons/notebook-pen';
import Boxes from '@lucide/svelte/icons/boxes';
import Settings from '@lucide/svelte/icons/settings';
import type { ViewId } from '../../src-shared/types';
import ChatView from './chat/ChatView.svelte';
import TutorView from './tutor/TutorView.svelte';
import MistakesView from './mistakes/MistakesView.svelte';
import NotesView from './notes/NotesView.svelte';
import ModelsView from './models/ModelsView.svelte';
import SettingsView from './settings/SettingsView.svelte';

export interface ViewEntry {
  id: ViewId;
  label: string;
  icon: LucideIcon;
  component: Component;
  /** The digit of its Ctrl/Cmd shortcut, when it has one. */
  shortcut?: string;
}

export const views: ViewEntry[] = [
  { id: 'chat', label: 'Chat', icon: MessagesSquare, component: ChatView, shortcut: '1' },
  { id: 'tutor', label: 'Tutor', icon: GraduationCap, component: TutorView, shortcut: '2' },
  { id: 'mistakes', label: 'Mistake check', icon: ListChecks, component: MistakesView, shortcut: '3' },
  { id: 'notes', label: 'Notes', icon: NotebookPen, component: NotesView, shortcut: '4' },
  { id: 'models', label: 'Models', icon: Boxes, component: ModelsView, shortcut: '5' },
  { id: 'settings', label: 'Settings', icon: Settings, component: SettingsView, shortcut: ',' },
];
