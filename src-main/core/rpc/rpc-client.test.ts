import { describe, expect, it } from 'vitest';
import { handlersWith } from '../../test-support/handlers';
import { EventBus } from '../event-bus';
import { RpcServer } from './rpc-server';
import { AppError } from '../../../src-shared/errors';
import { RpcClient } from '../../../src-shared/rpc-client';
import type { ClientMessage, ConnectionStatus, ServerMessage, Transport } from '../../../src-shared/wire';

/** A transport that delivers to a real RpcServer through JSON, like the WebSocket does, and can drop. */
function loopback(server: RpcServer) {
  const messageListeners = new Set<(message: ServerMessage) => void>();
  const statusListeners = new Set<(status: ConnectionStatus) => void>();
  let delivering = true;
  const connection = server.connect((message) => {
    if (delivering)
      for (const listener of messageListeners) listener(JSON.parse(JSON.stringify(message)) as ServerMessage);
  });
  const transport: Transport = {
    send: (message: ClientMessage) => connection.receive(JSON.parse(JSON.stringify(message))),
    onMessage: (listener) => (messageListeners.add(listener), () => messageListeners.delete(listener)),
    onStatus: (listener) => (
      statusListeners.add(listener),
      listener('open'),
      () => statusListeners.delete(listener)
    ),
  };
  const drop = () => {
    delivering = false;
    for (const listener of statusListeners) listener('connecting');
  };
  return { transport, drop };
}

function setup(pingDelayMs = 0) {
  const bus = new EventBus();
  const server = new RpcServer(
    handlersWith({
      'app.info': () => {
        throw new AppError('not_found', 'nothing here');
      },
      'diagnostics.ping': async ({ count }) => {
        await new Promise((resolve) => setTimeout(resolve, pingDelayMs));
        return { pingId: 'abc', count };
      },
    }),
    bus,
    { onInternalError: () => {} },
  );
  const { transport, drop } = loopback(server);
  return { bus, client: new RpcClient(transport), drop };
}

describe('RpcClient', () => {
  it('resolves a call with the typed result', async () => {
    const { client } = setup();
    expect(client.status).toBe('open');
    await expect(client.call('diagnostics.ping', { count: 2 })).resolves.toEqual({ pingId: 'abc', count: 2 });
  });

  it('rejects with an AppError carrying the backend code', async () => {
    const { client } = setup();
    const error = await client.call('app.info', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'not_found', message: 'nothing here' });
    await expect(client.callUnchecked('diagnostics.ping', { count: -1 })).rejects.toMatchObject({
      code: 'invalid_input',
    });
  });

  it('delivers events to listeners until they unsubscribe', () => {
    const { bus, client } = setup();
    const seen: unknown[] = [];
    const off = client.on('app.command', (command) => seen.push(command));
    bus.emit('app.command', { command: 'new-chat' });
    off();
    bus.emit('app.command', { command: 'new-chat' });
    expect(seen).toEqual([{ command: 'new-chat' }]);
  });

  it('fails pending calls with "disconnected" when the connection drops', async () => {
    const { client, drop } = setup(50);
    const pending = client.call('diagnostics.ping', { count: 1 });
    drop();
    await expect(pending).rejects.toMatchObject({ code: 'disconnected' });
    expect(client.status).toBe('connecting');
  });
});
