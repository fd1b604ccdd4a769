import { dialog, shell, type BrowserWindow } from 'electron';
import type { DesktopActions } from '../core/models/models-service';

/** The file manager and the native open dialog, for core (which never imports electron). */
export function desktopActions(window: () => BrowserWindow | undefined): DesktopActions {
  const showOpen = async (options: Electron.OpenDialogOptions) => {
    const parent = window();
    const result = parent
      ? await dialog.showOpenDialog(parent, options)
      : await dialog.showOpenDialog(options);
    return result.canceled ? [] : result.filePaths;
  };
  return {
    reveal: (file) => shell.showItemInFolder(file),
    openFolder: (folder) => void shell.openPath(folder),
    async chooseModelFile() {
      const options = {
        title: 'Choose a model file',
        filters: [{ name: 'GGUF model', extensions: ['gguf'] }],
        properties: ['openFile' as const],
      };
      return (await showOpen(options))[0] ?? null;
    },
    chooseNoteFiles: (folder) =>
      showOpen(
        folder
          ? { title: 'Import a folder of notes', properties: ['openDirectory'] }
          : {
              title: 'Import notes',
              filters: [{ name: 'Notes', extensions: ['md', 'markdown', 'txt', 'pdf'] }],
              properties: ['openFile', 'multiSelections'],
            },
      ),
  };
}
