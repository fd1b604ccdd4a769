/**
 * The Electron composition root: builds core, binds the contract to the window over IPC, and owns the
 * window, menu and security policy. Everything else lives in core, shared with browser mode.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, dialog, type BrowserWindow } from 'electron';
import { createCore, type Core } from './core/create-core';
import { engineEntryBeside } from './core/engine/process/launch';
import { configureLogFile, createLogger } from './core/log';
import { resolveDataDir } from './core/paths';
import { desktopActions } from './app/desktop-actions';
import { confirmAndOpenExternal } from './app/external-links';
import { bindContractToWindow } from './app/ipc';
import { installMenu } from './app/menu';
import { devElectronSqliteBinding, packagedSqliteBinding } from './app/native-binding';
import { hardenApp } from './app/security';
import { utilityEngine } from './app/utility-engine';
import { createMainWindow } from './app/window';

const log = createLogger('main');
const devServerUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL;
const rendererFile = path.join(import.meta.dirname, '../renderer/index.html');

const dataDir = resolveDataDir();
app.setPath('userData', dataDir);
// The same rotating file browser mode writes: <data folder>/logs/phidesk.log.
const logFile = configureLogFile(dataDir);
if (logFile) app.setAppLogsPath(path.dirname(logFile));

function isAppUrl(url: string): boolean {
  if (devServerUrl) return new URL(url).origin === new URL(devServerUrl).origin;
  return url.split(/[?#]/)[0] === pathToFileURL(rendererFile).href;
}

let core: Core | undefined;
let mainWindow: BrowserWindow | undefined;

function showMainWindow(): void {
  if (!core) return;
  if (mainWindow && !mainWindow.isDestroyed()) {
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
    return;
  }
  const window = createMainWindow({
    dataDir,
    preload: path.join(import.meta.dirname, '../preload/index.cjs'),
  });
  bindContractToWindow(core.rpc, window, isAppUrl);
  if (devServerUrl) void window.loadURL(devServerUrl);
  else void window.loadFile(rendererFile);
  mainWindow = window;
}

function start(): void {
  hardenApp(isAppUrl);
  log.info(
    `Phidesk ${app.getVersion()} starting (Electron ${process.versions.electron}), data in ${dataDir}`,
  );
  core = createCore({
    host: 'electron',
    appVersion: app.getVersion(),
    dataDir,
    logFile,
    sqliteBinding: app.isPackaged
      ? packagedSqliteBinding(process.resourcesPath)
      : devElectronSqliteBinding(app.getAppPath(), process.versions.electron),
    resourcesDir: path.join(app.getAppPath(), 'resources'),
    log,
    // llama.cpp runs in a utility process: a native crash there never takes the window down.
    launchEngine: utilityEngine(engineEntryBeside(import.meta.filename)),
    // Only for the end-to-end tests of a development build: a packaged app never serves these methods.
    testSurface: !app.isPackaged && process.env.PHIDESK_TEST_SURFACE === '1',
    openExternal: (url) => confirmAndOpenExternal(url, mainWindow),
    desktop: desktopActions(() => mainWindow),
  });
  const { bus } = core;
  installMenu((command) => bus.emit('app.command', command), !app.isPackaged);
  showMainWindow();
}

// One instance owns the data folder; a second launch hands over to it (TEST-CATALOG F6).
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', showMainWindow);
  app.on('activate', showMainWindow);
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('will-quit', () => void core?.dispose());
  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      log.error('Phidesk could not start', error);
      dialog.showErrorBox('Phidesk could not start', error instanceof Error ? error.message : String(error));
      app.exit(1);
    });
}
