import { dialog, shell, type BrowserWindow } from 'electron';
import type { DesktopActions } from '../core/models/models-service';

/** The file manager and the native open dialog, for core (which never imports electron). */
export function desktopActions(window: () => BrowserWindow | undefined): DesktopActions {
  return {
    reveal: (file) => shell.showItemInFolder(file),
    openFolder: (folder) => void shell.openPath(folder),
    async chooseModelFile() {
      const options = {
        title: 'Choose a model file',
        filters: [{ name: 'GGUF model', extensions: ['gguf'] }],
        properties: ['openFile' as const],
      };
      const parent = window();
      const result = parent
        ? await dialog.showOpenDialog(parent, options)
        : await dialog.showOpenDialog(options);
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
  };
}
