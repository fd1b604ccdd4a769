/** Binds the contract to the main window over one IPC channel, accepting messages from that window only. */
import { ipcMain, type BrowserWindow, type IpcMainEvent } from 'electron';
import { contractChannel, type ServerMessage } from '../../src-shared/wire';
import type { RpcServer } from '../core/rpc/rpc-server';

export function bindContractToWindow(
  rpc: RpcServer,
  window: BrowserWindow,
  isAppUrl: (url: string) => boolean,
): void {
  const contents = window.webContents;
  const connection = rpc.connect((message: ServerMessage) => {
    if (!contents.isDestroyed()) contents.send(contractChannel, message);
  });

  const onMessage = (event: IpcMainEvent, message: unknown): void => {
    // Only the app's own page in this window's main frame may talk to the backend.
    const frame = event.senderFrame;
    if (event.sender !== contents || !frame || frame !== contents.mainFrame || !isAppUrl(frame.url)) return;
    connection.receive(message);
  };
  ipcMain.on(contractChannel, onMessage);
  window.on('closed', () => {
    ipcMain.removeListener(contractChannel, onMessage);
    connection.close();
  });
}
