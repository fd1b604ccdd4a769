import { defineConfig } from '@playwright/test';
import { chromiumArgs, findChromium } from './e2e/support/chromium';

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  // Two cores: one worker keeps the web host, Chromium and llama.cpp from starving each other.
  workers: 1,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  globalSetup: './e2e/global-setup.ts',
  projects: [
    {
      name: 'web',
      testDir: 'e2e/web',
      use: {
        browserName: 'chromium',
        viewport: { width: 1200, height: 780 },
        launchOptions: { executablePath: findChromium(), args: chromiumArgs },
        acceptDownloads: true,
        trace: 'retain-on-failure',
      },
    },
    {
      name: 'electron',
      testDir: 'e2e/electron',
    },
  ],
});
