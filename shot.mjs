import { chromium } from 'playwright-core';
import fs from 'node:fs';
const [url, out, scheme = 'light', script = ''] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, colorScheme: scheme });
page.on('console', (m) => {
  if (m.type() === 'error') console.log('console', m.text());
});
page.on('pageerror', (e) => console.log('pageerror', e.message));
await page.goto(url);
await page.waitForTimeout(800);
if (script) {
  const fn = new Function('page', 'fs', `return (async () => { ${fs.readFileSync(script, 'utf8')} })()`);
  await fn(page, fs);
}
await page.waitForTimeout(700);
await page.screenshot({ path: out });
await browser.close();
