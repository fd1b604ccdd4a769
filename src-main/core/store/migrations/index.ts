import type { Migration } from '../migrate';
import { history } from './0001-history';
import { search } from './0002-search';
import { notesIndex } from './0003-notes-index';
import { flashcards } from './0004-flashcards';

/** Every migration, in order. Append only: a released migration never changes. */
export const migrations: readonly Migration[] = [history, search, notesIndex, flashcards];
