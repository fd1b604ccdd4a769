import { test as base, expect, type Page } from '@playwright/test';
import { startWebHost, type RunningWebHost } from './support/web-host';

interface TestFixtures {
  /** The browser-mode host for this spec file: each file gets its own, with a fresh data folder. */
  webHost: RunningWebHost;
  /** The app page, loaded and connected, failing the test on any console error. */
  app: Page;
}

interface WorkerFixtures {
  hostsByFile: Map<string, Promise<RunningWebHost>>;
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  hostsByFile: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const hosts = new Map<string, Promise<RunningWebHost>>();
      await use(hosts);
      await Promise.all([...hosts.values()].map(async (host) => (await host).stop()));
    },
    { scope: 'worker' },
  ],
  webHost: async ({ hostsByFile }, use, testInfo) => {
    if (!hostsByFile.has(testInfo.file)) hostsByFile.set(testInfo.file, startWebHost());
    await use(await hostsByFile.get(testInfo.file)!);
  },
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
