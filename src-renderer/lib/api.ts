/**
 * The renderer's one way to reach the backend. Inside the desktop app it talks over the preload's IPC port;
 * in browser mode over a WebSocket to the web host that served this page.
 */
import { RpcClient } from '../../src-shared/rpc-client';
import { ipcTransport } from './transport/ipc-transport';
import { WebSocketTransport } from './transport/websocket-transport';

function createTransport() {
  if (window.phidesk) return ipcTransport(window.phidesk);
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return new WebSocketTransport(`${scheme}://${location.host}/rpc`);
}

export const api = new RpcClient(createTransport());
