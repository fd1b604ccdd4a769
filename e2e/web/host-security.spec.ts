import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '../fixtures';
import { rawRequest } from '../../src-main/test-support/http-request';

// TEST-CATALOG S5, against the real browser-mode host process.
test.describe('the web host refuses', () => {
  test('a request without a token (401)', async ({ webHost }) => {
    expect((await rawRequest(webHost.port, {})).status).toBe(401);
  });

  test('a wrong token (401)', async ({ webHost }) => {
    expect((await rawRequest(webHost.port, { path: '/?token=wrong' })).status).toBe(401);
  });

  test('a foreign Host (403)', async ({ webHost }) => {
    const headers = { Host: 'attacker.example', Authorization: `Bearer ${webHost.token}` };
    expect((await rawRequest(webHost.port, { headers })).status).toBe(403);
  });

  test('a foreign Origin (403)', async ({ webHost }) => {
    const headers = { Origin: 'https://attacker.example', Authorization: `Bearer ${webHost.token}` };
    expect((await rawRequest(webHost.port, { headers })).status).toBe(403);
  });

  test('a non-JSON body (415) and an oversized one (413)', async ({ webHost }) => {
    const auth = { Authorization: `Bearer ${webHost.token}` };
    const text = await rawRequest(webHost.port, {
      method: 'POST',
      path: '/rpc',
      headers: { ...auth, 'Content-Type': 'text/plain' },
      body: 'hello',
    });
    expect(text.status).toBe(415);
    const huge = await rawRequest(webHost.port, {
      method: 'POST',
      path: '/rpc',
      headers: { ...auth, 'Content-Type': 'application/json' },
      body: Buffer.alloc(8 * 1024 * 1024, 0x20),
    });
    expect(huge.status).toBe(413);
  });

  test('a page from another origin, even though the browser holds the session cookie', async ({
    page,
    webHost,
  }) => {
    // Cookies ignore ports, so a page on another 127.0.0.1 port would send the session cookie along:
    // only the Origin check stands between it and the contract.
    const foreign = http.createServer((_request, response) =>
      response.end('<!doctype html><title>foreign</title>'),
    );
    await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve));
    const foreignPort = (foreign.address() as AddressInfo).port;
    const openSocket = (port: number) =>
      page.evaluate(
        (port) =>
          new Promise<string>((resolve) => {
            const socket = new WebSocket(`ws://127.0.0.1:${port}/rpc`);
            socket.onopen = () => (socket.close(), resolve('open'));
            socket.onerror = () => resolve('refused');
          }),
        port,
      );
    try {
      await page.goto(webHost.url);
      expect(await openSocket(webHost.port)).toBe('open');
      await page.goto(`http://127.0.0.1:${foreignPort}/`);
      expect(await openSocket(webHost.port)).toBe('refused');
    } finally {
      foreign.close();
    }
  });
});
