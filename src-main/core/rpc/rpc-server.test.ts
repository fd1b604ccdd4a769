import { describe, expect, it, vi } from 'vitest';
import { AppError } from '../../../src-shared/errors';
import type { ServerMessage } from '../../../src-shared/wire';
import { handlersWith } from '../../test-support/handlers';
import { EventBus } from '../event-bus';
import { testSurfaceMethods } from '../../../src-shared/rpc';
import { RpcServer, malformedMessageId, type Handlers } from './rpc-server';

function setup(overrides: Partial<Handlers> = {}, logFile: string | null = null) {
  const bus = new EventBus();
  const onInternalError = vi.fn();
  const handlers = handlersWith({
    'diagnostics.ping': ({ count }) => ({ pingId: 'p1', count }),
    ...overrides,
  });
  const server = new RpcServer(handlers, bus, { onInternalError, logFile, testSurface: true });
  const received: ServerMessage[] = [];
  const connection = server.connect((message) => received.push(message));
  const next = async (): Promise<ServerMessage> => {
    await vi.waitFor(() => expect(received.length).toBeGreaterThan(0));
    return received.shift()!;
  };
  return { bus, server, connection, received, next, onInternalError };
}

describe('the test surface', () => {
  it('is not served unless asked for: its methods do not exist for the app', async () => {
    const generate = vi.fn(() => ({ requestId: 'r1', text: 'Hello' }) as never);
    const handlers = handlersWith({ 'engine.generate': generate });
    const params = { messages: [{ role: 'user', content: 'Hi' }] };
    const app = new RpcServer(handlers, new EventBus(), { onInternalError: vi.fn() });
    for (const method of testSurfaceMethods) {
      expect(await app.handle(method, {})).toMatchObject({
        ok: false,
        error: { code: 'invalid_input', message: `Unknown method: ${method}` },
      });
    }
    expect(generate).not.toHaveBeenCalled();
    const tests = new RpcServer(handlers, new EventBus(), { onInternalError: vi.fn(), testSurface: true });
    expect(await tests.handle('engine.generate', params)).toMatchObject({ ok: true });
    // Everything else is served either way (here its handler runs, and fails as the test table's do).
    expect(await app.handle('app.info', {})).toMatchObject({ ok: false, error: { code: 'internal' } });
  });
});

describe('RpcServer', () => {
  it('answers a valid request with its result, defaults filled in', async () => {
    const ping = vi.fn(({ count, intervalMs }: { count: number; intervalMs: number }) => ({
      pingId: `${count}/${intervalMs}`,
      count,
    }));
    const { connection, next } = setup({ 'diagnostics.ping': ping });
    connection.receive({ type: 'request', id: 7, method: 'diagnostics.ping', params: { count: 3 } });
    expect(await next()).toEqual({
      type: 'response',
      id: 7,
      ok: true,
      result: { pingId: '3/100', count: 3 },
    });
    expect(ping).toHaveBeenCalledWith({ count: 3, intervalMs: 100 }, expect.anything());
  });

  it.each([
    ['wrong type (S3)', { count: 'three' }],
    ['out of range', { count: 1000 }],
    ['not an integer', { count: 1.5 }],
    ['extra field (S3)', { count: 1, extra: true }],
    ['missing params', undefined],
    ['params not an object', [1, 2]],
  ])('rejects %s with invalid_input and never calls the handler', async (_name, params) => {
    const ping = vi.fn();
    const { connection, next } = setup({ 'diagnostics.ping': ping });
    connection.receive({ type: 'request', id: 1, method: 'diagnostics.ping', params });
    const response = await next();
    expect(response).toMatchObject({ type: 'response', id: 1, ok: false, error: { code: 'invalid_input' } });
    expect(ping).not.toHaveBeenCalled();
  });

  it('rejects a __proto__ key in parameters (S3)', async () => {
    const ping = vi.fn();
    const { connection, next } = setup({ 'diagnostics.ping': ping });
    connection.receive({
      type: 'request',
      id: 2,
      method: 'diagnostics.ping',
      params: JSON.parse('{"count": 1, "__proto__": {"polluted": true}}') as unknown,
    });
    expect(await next()).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(ping).not.toHaveBeenCalled();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each(['no.such.method', '__proto__', 'constructor', 'toString'])(
    'rejects the unknown method %s',
    async (method) => {
      const { connection, next } = setup();
      connection.receive({ type: 'request', id: 3, method, params: {} });
      expect(await next()).toMatchObject({
        id: 3,
        ok: false,
        error: { code: 'invalid_input', message: `Unknown method: ${method}` },
      });
    },
  );

  it.each([
    ['a string', 'hello'],
    ['null', null],
    ['no id', { type: 'request', method: 'app.info', params: {} }],
    ['a negative id', { type: 'request', id: -5, method: 'app.info', params: {} }],
    ['an unknown type', { type: 'shout', id: 1, method: 'app.info', params: {} }],
    ['a huge method name', { type: 'request', id: 1, method: 'x'.repeat(10_000), params: {} }],
  ])('answers a malformed message (%s) without crashing', async (_name, message) => {
    const { connection, next } = setup();
    connection.receive(message);
    expect(await next()).toMatchObject({
      id: malformedMessageId,
      ok: false,
      error: { code: 'invalid_input' },
    });
  });

  it('passes typed errors through and hides internal ones', async () => {
    const { connection, next, onInternalError } = setup({
      'diagnostics.ping': ({ count }) => {
        if (count === 1) throw new AppError('busy', 'Try later', { queue: 3 });
        throw new Error('secret stack detail');
      },
    });
    connection.receive({ type: 'request', id: 1, method: 'diagnostics.ping', params: { count: 1 } });
    expect(await next()).toEqual({
      type: 'response',
      id: 1,
      ok: false,
      error: { code: 'busy', message: 'Try later', details: { queue: 3 } },
    });
    connection.receive({ type: 'request', id: 2, method: 'diagnostics.ping', params: { count: 2 } });
    const response = await next();
    expect(response).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(JSON.stringify(response)).not.toContain('secret');
    expect(onInternalError).toHaveBeenCalledOnce();
  });

  it('names the log file in an internal error, where the details are', async () => {
    const logFile = '/data/Phidesk/logs/phidesk.log';
    const { connection, next, onInternalError } = setup(
      {
        'diagnostics.ping': () => {
          throw new Error('secret stack detail');
        },
      },
      logFile,
    );
    connection.receive({ type: 'request', id: 3, method: 'diagnostics.ping', params: { count: 1 } });
    expect(await next()).toEqual({
      type: 'response',
      id: 3,
      ok: false,
      error: { code: 'internal', message: `Internal error; see the log for details: ${logFile}` },
    });
    expect(onInternalError).toHaveBeenCalledWith(
      expect.objectContaining({ message: 'secret stack detail' }),
      'diagnostics.ping',
    );
  });

  it('broadcasts events to open connections only', () => {
    const { bus, server, connection, received } = setup();
    const other: ServerMessage[] = [];
    const second = server.connect((message) => other.push(message));
    bus.emit('llama.runtime', { state: 'starting' });
    second.close();
    bus.emit('app.command', { command: 'new-chat' });
    connection.close();
    bus.emit('app.command', { command: 'new-chat' });

    expect(received).toEqual([
      { type: 'event', name: 'llama.runtime', payload: { state: 'starting' } },
      { type: 'event', name: 'app.command', payload: { command: 'new-chat' } },
    ]);
    expect(other).toEqual([{ type: 'event', name: 'llama.runtime', payload: { state: 'starting' } }]);
  });
});
