import { test as base, expect, type Page } from '@playwright/test';
import { startWebHost, type RunningWebHost } from './support/web-host';

interface WebFixtures {
  /** The app page, loaded and connected, failing the test on any console error. */
  app: Page;
}

interface WorkerFixtures {
  webHost: RunningWebHost;
}

export const test = base.extend<WebFixtures, WorkerFixtures>({
  webHost: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const host = await startWebHost();
      await use(host);
      await host.stop();
    },
    { scope: 'worker' },
  ],
  app: async ({ page, webHost }, use) => {
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    await page.goto(webHost.url);
    await expect(page.getByTestId('connection-status')).toHaveText('Connected');
    await use(page);
    expect(problems, 'the page logged errors').toEqual([]);
  },
});

export { expect };
