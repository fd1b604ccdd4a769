import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '../fixtures';
import { rawRequest } from '../../src-main/test-support/http-request';
import { limits } from '../../src-shared/limits';
import { installPageRpc, pageCall } from '../support/page-rpc';

/** A plain page on another 127.0.0.1 port: same host as far as cookies go, another origin. */
async function startForeignPage(): Promise<{ url: string; close(): void }> {
  const foreign = http.createServer((_request, response) =>
    response.end('<!doctype html><title>foreign</title>'),
  );
  await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(foreign.address() as AddressInfo).port}/`,
    close: () => foreign.close(),
  };
}

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
      body: Buffer.alloc(limits.messageBytes + 1024, 0x20),
    });
    expect(huge.status).toBe(413);
  });

  test('a page from another origin, even though the browser holds the session cookie', async ({
    page,
    webHost,
  }) => {
    // Cookies ignore ports, so a page on another 127.0.0.1 port would send the session cookie along:
    // only the Origin check stands between it and the contract.
    const foreign = await startForeignPage();
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
      await page.goto(foreign.url);
      expect(await openSocket(webHost.port)).toBe('refused');
    } finally {
      foreign.close();
    }
  });
});

// TEST-CATALOG S6, with real Chromium cookies.
test('S6: malformed or duplicated session cookies tossed by a page on another loopback port never crash the host, and the real tab still works', async ({
  page,
  webHost,
}) => {
  const cookieName = `phidesk_session_${webHost.port}`;
  const foreign = await startForeignPage();
  const foreignTab = await page.context().newPage();
  // The host's own HttpOnly cookie holds Path=/ (a script cannot overwrite it), so a foreign page adds its
  // same-name cookie on /rpc: the longer path, which the browser sends first on the WebSocket upgrade.
  const tossCookie = async (value: string) => {
    await foreignTab.goto(foreign.url);
    await foreignTab.evaluate((cookie) => (document.cookie = cookie), `${cookieName}=${value}; path=/rpc`);
  };
  const expectAppWorks = async () => {
    await page.goto(webHost.origin);
    await expect(page.getByTestId('connection-status')).toHaveText('Connected');
    await installPageRpc(page);
    expect(await pageCall(page, 'app.info', {})).toMatchObject({ ok: true, result: { name: 'Phidesk' } });
  };
  try {
    await page.goto(webHost.url);
    await expect(page.getByTestId('connection-status')).toHaveText('Connected');

    for (const value of ['%E0%A4%A', 'wrong-token']) {
      await tossCookie(value);
      await expectAppWorks();
      expect(webHost.isRunning(), webHost.output()).toBe(true);
    }
  } finally {
    foreign.close();
  }
});

test('the Content-Security-Policy header equals the page’s <meta> policy', async ({ page, webHost }) => {
  const response = await page.goto(webHost.url);
  const header = (await response!.allHeaders())['content-security-policy'];
  const meta = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(header).toBeTruthy();
  expect(header).toBe(meta);
});
