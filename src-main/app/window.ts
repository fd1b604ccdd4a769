import { BrowserWindow } from 'electron';
import { loadWindowState, trackWindowState } from './window-state';

export interface MainWindowOptions {
  dataDir: string;
  preload: string;
}

export function createMainWindow({ dataDir, preload }: MainWindowOptions): BrowserWindow {
  const state = loadWindowState(dataDir);
  const window = new BrowserWindow({
    ...state,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'Phidesk',
    backgroundColor: '#00000000',
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: true,
    },
  });
  if (state.maximized) window.maximize();
  trackWindowState(window, dataDir);
  // Show once painted, so the window never flashes white in dark mode.
  window.once('ready-to-show', () => window.show());
  return window;
}
