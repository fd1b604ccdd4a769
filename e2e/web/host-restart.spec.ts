import { expect, test } from '../fixtures';
import { installPageRpc, pageCall } from '../support/page-rpc';
import { startWebHost } from '../support/web-host';

// TEST-CATALOG C5: the host goes away under an open page and comes back; the page needs no new address.
test('a restarted host takes the open page back: same address, same session, no new URL (C5)', async ({
  page,
}) => {
  const first = await startWebHost();
  let second: Awaited<ReturnType<typeof startWebHost>> | null = null;
  try {
    await page.goto(first.url);
    await expect(page.getByTestId('connection-status')).toHaveText('Connected');
    const addressBefore = page.url();

    await first.stop();
    await expect(page.getByTestId('connection-status')).toHaveText('Connection lost — reconnecting…');

    // Started again on its data folder: it reuses the port and the session secret it kept there.
    second = await startWebHost({ dataDir: first.dataDir, port: first.port });
    expect(second.token).toBe(first.token);
    await expect(page.getByTestId('connection-status')).toHaveText('Connected', { timeout: 20_000 });
    expect(page.url()).toBe(addressBefore);
    await installPageRpc(page);
    expect(await pageCall(page, 'app.info', {})).toMatchObject({ ok: true, result: { name: 'Phidesk' } });
  } finally {
    await second?.stop();
    await first.stop();
  }
});

test('a browser without the session gets a page saying what to do, not JSON', async ({ page }) => {
  const host = await startWebHost();
  try {
    const response = await page.goto(host.origin);
    expect(response!.status()).toBe(401);
    await expect(page.getByRole('heading')).toHaveText('Open Phidesk from the address it printed');
  } finally {
    await host.stop();
  }
});
