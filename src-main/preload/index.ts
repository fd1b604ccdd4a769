/**
 * The preload exposes one thing to the page: the contract's message port (`window.phidesk`), bound to the
 * contract's IPC channel. The page never sees ipcRenderer or any other channel.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  contractChannel,
  type ClientMessage,
  type ContractPort,
  type ServerMessage,
} from '../../src-shared/wire';

const port: ContractPort = {
  send(message: ClientMessage) {
    ipcRenderer.send(contractChannel, message);
  },
  onMessage(listener: (message: ServerMessage) => void) {
    const forward = (_event: IpcRendererEvent, message: ServerMessage): void => listener(message);
    ipcRenderer.on(contractChannel, forward);
    return () => {
      ipcRenderer.removeListener(contractChannel, forward);
    };
  },
};

contextBridge.exposeInMainWorld('phidesk', port);
