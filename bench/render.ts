/**
 * npm run bench:render — streams a 3000-token Markdown answer with math and code into the real message
 * view (MarkdownView) in Chromium, and prints the main-thread time per token for the last 10 % of tokens
 * divided by the first 10 % (target ≤ 1.5: the cost per token must not grow with the answer). For
 * comparison, re-rendering the whole answer at every token, over the same first and last 100 tokens.
 */
import { chromium } from '@playwright/test';
import { buildHarness, harnessDir } from '../e2e/harness/build';
import { chromiumArgs, findChromium } from '../e2e/support/chromium';
import { serveFolder } from '../e2e/support/static-server';
import { verdict } from './support';

/** About 3000 tokens of the kind of answer the tutor writes: prose, lists, display math, code. */
function answer(): string[] {
  const sections: string[] = [];
  for (let i = 1; sections.join('').length < 12_000; i++) {
    sections.push(
      `## Step ${i}\n\nThe skier's potential energy $mgh$ becomes kinetic energy $\\tfrac{1}{2}mv^2$, so at height $h_${i}$ the speed is\n\n` +
        `$$v_${i} = \\sqrt{2 g (H - h_${i})} = \\sqrt{2 \\cdot 9.81 \\cdot ${40 - i}}\\ \\mathrm{m/s}$$\n\n` +
        `- friction is ignored\n- $g = 9.81\\ \\mathrm{m/s^2}$\n- the slope length does not matter\n\n` +
        '```python\n' +
        `v = (2 * 9.81 * ${40 - i}) ** 0.5\nprint(f"{v:.2f} m/s")\n` +
        '```\n\n',
    );
  }
  // Split the way a BPE tokenizer does, roughly: words with their leading space, punctuation alone.
  return sections
    .join('')
    .match(/\s*[\w\\]+|\s*[^\w\s]|\s+/g)!
    .slice(0, 3000);
}

const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

async function main(): Promise<void> {
  await buildHarness();
  const server = await serveFolder(harnessDir);
  const browser = await chromium.launch({ executablePath: findChromium(), args: chromiumArgs });
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    await page.goto(server.url);
    await page.waitForFunction(() => 'harness' in window);
    const pieces = answer();
    const tenth = Math.floor(pieces.length / 10);
    const times = async () => page.evaluate((all) => window.harness.stream(all), pieces);
    await times(); // warm-up
    const all = await times();
    const incremental = {
      first: mean(all.slice(0, tenth)),
      last: mean(all.slice(-tenth)),
      total: all.reduce((a, b) => a + b, 0),
    };
    const sample = 100;
    const fullTimes = (prefix: string[], next: string[]) =>
      page.evaluate(([before, after]) => window.harness.streamFull(before.join(''), after), [
        prefix,
        next,
      ] as const);
    const full = {
      first: mean(await fullTimes([], pieces.slice(0, sample))),
      last: mean(await fullTimes(pieces.slice(0, -sample), pieces.slice(-sample))),
    };
    const ratio = incremental.last / incremental.first;
    console.log(
      `Streamed ${pieces.length} tokens (${pieces.join('').length} characters) into MarkdownView in Chromium\n`,
    );
    console.log(
      `incremental (the app)    first 10%: ${incremental.first.toFixed(3)} ms/token   last 10%: ${incremental.last.toFixed(3)} ms/token   total ${incremental.total.toFixed(0)} ms`,
    );
    console.log(
      `full re-render each time first 100: ${full.first.toFixed(3)} ms/token   last 100: ${full.last.toFixed(3)} ms/token`,
    );
    console.log(
      `\nlast ÷ first, the app: ${ratio.toFixed(2)} — target ≤ 1.5: ${verdict(ratio <= 1.5)}  (full re-render: ${(full.last / full.first).toFixed(1)})`,
    );
    console.log(
      `\n${JSON.stringify({ tokens: pieces.length, firstMs: incremental.first, lastMs: incremental.last, ratio, fullFirstMs: full.first, fullLastMs: full.last, totalMs: incremental.total })}`,
    );
  } finally {
    await browser.close();
    await server.close();
  }
}

await main();
