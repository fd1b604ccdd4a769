/**
 * Rendering of model output in the real MarkdownView, in Chromium under the app's CSP: Markdown, code,
 * each math delimiter, text streamed piece by piece, and the attacks of TEST-CATALOG I6–I9.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test, type Page } from '@playwright/test';
import { harnessDir } from '../harness/build';
import { serveFolder } from '../support/static-server';

let harness: { url: string; close(): Promise<void> };
let outside: http.Server;
let outsideRequests = 0;
let outsideOrigin = '';

test.beforeAll(async () => {
  harness = await serveFolder(harnessDir);
  // Stands for the internet: any request reaching it is a leak.
  outside = http.createServer((_request, response) => {
    outsideRequests += 1;
    response.end('');
  });
  await new Promise<void>((resolve) => outside.listen(0, '127.0.0.1', resolve));
  outsideOrigin = `http://127.0.0.1:${(outside.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
  await harness.close();
  outside.close();
});

async function openHarness(page: Page): Promise<string[]> {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  await page.goto(harness.url);
  await page.waitForFunction(() => 'harness' in window);
  return problems;
}

const render = (page: Page, text: string) => page.evaluate((value) => window.harness.setText(value), text);

test('renders Markdown, highlighted code with a copy button, and every math delimiter', async ({
  page,
  context,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openHarness(page);
  await render(
    page,
    [
      '# Heading',
      '',
      'Some **bold**, _italic_ and `code`.',
      '',
      '- one',
      '- two',
      '',
      '| a | b |',
      '|---|---|',
      '| 1 | 2 |',
      '',
      '```python',
      'print("hello")',
      '```',
      '',
      'Inline $E = mc^2$ and \\(F = ma\\).',
      '',
      '$$\\int_0^1 x^2\\,dx = \\tfrac{1}{3}$$',
      '',
      '\\[\\sqrt{2 \\cdot 9.81 \\cdot 40}\\]',
    ].join('\n'),
  );
  const view = page.locator('#view .markdown');
  await expect(view.locator('h1')).toHaveText('Heading');
  await expect(view.locator('li')).toHaveCount(2);
  await expect(view.locator('table td')).toHaveCount(2);
  await expect(view.locator('.code-block .hljs-built_in, .code-block .hljs-string').first()).toBeVisible();
  await expect(view.locator('.katex')).toHaveCount(4);
  await expect(view.locator('.katex-display')).toHaveCount(2);
  await expect(view.locator('.katex-display svg path').first()).toHaveAttribute('d', /.+/);
  await view.getByRole('button', { name: 'Copy code' }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('print("hello")\n');
});

test('streams piece by piece, with unfinished math and code shown gracefully', async ({ page }) => {
  const problems = await openHarness(page);
  const answer = 'Start.\n\n$$\\frac{1}{2}mv^2$$\n\n```js\nconst a = 1;\n```\n\nInline $\\frac{a}{b}$ done.';
  // Every prefix, as a stream delivers it: nothing throws, nothing is lost.
  const pieces = [...answer].map((character) => character);
  await page.evaluate((all) => window.harness.stream(all), pieces);
  await expect(page.locator('#view .markdown .katex')).toHaveCount(2);
  await expect(page.locator('#view .markdown pre code')).toHaveText('const a = 1;\n');
  // Mid-stream states: an open display formula and an open code fence.
  await render(page, 'Text\n\n$$\\frac{1}{');
  await expect(page.locator('#view .markdown .katex-error, .markdown .katex')).not.toHaveCount(0);
  await render(page, 'Text\n\n```python\nprint(');
  await expect(page.locator('#view .markdown pre code')).toContainText('print(');
  expect(problems).toEqual([]);
});

test('neutralises HTML and link attacks in model output (I6)', async ({ page }) => {
  await openHarness(page);
  await page.evaluate(() => ((window as unknown as { pwned: number }).pwned = 0));
  await render(
    page,
    [
      '<img src=x onerror="window.pwned=1">',
      '[click](javascript:window.pwned=1) [CLICK](JaVaScRiPt:window.pwned=1) [data](data:text/html,<script>window.pwned=1</script>)',
      '<iframe src="javascript:window.pwned=1"></iframe>',
      '<svg><script>window.pwned=1</script></svg>',
      '<form action="https://evil.example"><input name=x></form>',
      '<meta http-equiv="refresh" content="0;url=https://evil.example">',
      '<style>body{display:none}</style>',
      '<a href="javascript:window.pwned=1" onclick="window.pwned=1">raw link</a>',
    ].join('\n\n'),
  );
  for (const link of await page.locator('#view .markdown a').all()) await link.click();
  const dom = await page.evaluate(() => {
    const root = document.querySelector('#view .markdown')!;
    const all = [...root.querySelectorAll('*')];
    return {
      pwned: (window as unknown as { pwned: number }).pwned,
      elements: [...new Set(all.map((element) => element.tagName.toLowerCase()))],
      handlers: all
        .flatMap((element) => [...element.attributes].map((a) => a.name))
        .filter((name) => name.startsWith('on')),
      hrefs: all.map((element) => element.getAttribute('href')).filter(Boolean),
      bodyVisible: getComputedStyle(document.body).display !== 'none',
    };
  });
  expect(dom.pwned).toBe(0);
  expect(dom.handlers).toEqual([]);
  for (const tag of ['img', 'iframe', 'script', 'form', 'input', 'meta', 'style'])
    expect(dom.elements).not.toContain(tag);
  expect(dom.hrefs.filter((href) => !/^https?:|^mailto:/i.test(href!))).toEqual([]);
  expect(dom.bodyVisible).toBe(true);
  await expect(page.locator('#view .markdown')).toContainText('<img src=x onerror');
});

test('never loads remote images (I7)', async ({ page }) => {
  await openHarness(page);
  await render(page, `![chart](${outsideOrigin}/chart.png)\n\n![logo][l]\n\n[l]: ${outsideOrigin}/logo.png`);
  await expect(page.locator('#view .markdown .blocked-image')).toHaveCount(2);
  await page.waitForTimeout(300);
  expect(outsideRequests).toBe(0);
  await expect(page.locator('#view .markdown img')).toHaveCount(0);
});

test('keeps KaTeX from linking, loading or hanging (I8)', async ({ page }) => {
  await openHarness(page);
  await render(
    page,
    [
      '$\\href{javascript:alert(1)}{click}$',
      '$\\url{javascript:alert(1)}$',
      `$\\includegraphics{${outsideOrigin}/x.png}$`,
      '$\\htmlData{foo=bar}{x}$',
      '$\\def\\a{\\a\\a}\\a$',
      '$\\rule{100000em}{100000em}$',
      `$${'{'.repeat(5000)}x${'}'.repeat(5000)}$`,
      'Unfinished $\\frac{1}{',
    ].join('\n\n'),
  );
  const root = page.locator('#view .markdown');
  await expect(root.locator('a')).toHaveCount(0);
  await expect(root.locator('img')).toHaveCount(0);
  await expect(root.locator('[data-foo]')).toHaveCount(0);
  expect(outsideRequests).toBe(0);
  // Still responsive: the page answers at once.
  expect(await page.evaluate(() => 1 + 1)).toBe(2);
});

test('stays responsive on Markdown bombs (I9)', async ({ page }) => {
  await openHarness(page);
  const bombs = [
    '>'.repeat(50_000) + ' deep',
    '| a | b |\n|---|---|\n' + '| 1 | 2 |\n'.repeat(10_000),
    'x'.repeat(5 * 1024 * 1024),
  ];
  for (const bomb of bombs) {
    await render(page, bomb);
    expect(await page.evaluate(() => document.querySelectorAll('#view .markdown *').length)).toBeLessThan(
      100_000,
    );
  }
  await expect(page.locator('#view .markdown .truncated')).toContainText('more characters are not shown');
});

test('sends links to the app’s handler instead of following them', async ({ page }) => {
  await openHarness(page);
  await render(page, '[Phi-2](https://huggingface.co/microsoft/phi-2)');
  await page.locator('#view .markdown a').click();
  expect(await page.evaluate(() => window.harness.openedLinks)).toEqual([
    'https://huggingface.co/microsoft/phi-2',
  ]);
  expect(page.url()).toBe(harness.url);
});
