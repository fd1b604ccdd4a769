import type { Handlers } from '../rpc/rpc-server';
import type { NotesFeature } from './notes-feature';

type NotesMethods = Extract<keyof Handlers, `notes.${string}`>;

/** The notes assistant over the contract; `notes()` throws `unavailable` without the history database. */
export function notesHandlers(notes: () => NotesFeature): Pick<Handlers, NotesMethods> {
  return {
    'notes.list': (filter) => notes().store.notes.list(filter),
    'notes.get': ({ id }) => notes().store.notes.get(id),
    'notes.create': (fields) => notes().service.create(fields),
    'notes.update': ({ id, ...patch }) => notes().service.update(id, patch),
    'notes.duplicate': ({ id }) => notes().service.duplicate(id),
    'notes.delete': ({ ids }) => notes().service.delete(ids),
    'notes.restore': ({ ids }) => notes().service.restore(ids),
    'notes.export': ({ id }) => notes().service.export(id),
    'notes.exportFolder': ({ directory, folder }) => notes().service.exportFolder(directory, folder),
    'notes.import': ({ paths, folder }) => notes().service.import(paths, folder),
    'notes.cancelImport': () => notes().service.cancelImport(),
    'notes.chooseImport': async ({ folder }) => {
      const desktop = notes().desktop;
      return desktop
        ? { handledBy: 'desktop', paths: await desktop.chooseNoteFiles(folder) }
        : { handledBy: 'renderer' };
    },
    'notes.indexStatus': () => notes().indexer.status(),
    'notes.setIndexing': ({ paused }) => notes().indexer.setPaused(paused),
    'notes.search': async ({ query, limit, noteId }) =>
      (await notes().search.search(query, { limit, noteId })).hits,
    'notes.ask': (request) => notes().answers.ask(request),
    'notes.summarise': ({ id }) => notes().answers.summarise(id),
  };
}
