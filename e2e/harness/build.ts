import { resolve } from 'node:path';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { build } from 'vite';

export const harnessDir = resolve('out/harness');

/** Builds the Markdown harness page (the real MarkdownView, nothing else) into out/harness. */
export async function buildHarness(): Promise<void> {
  await build({
    root: resolve('e2e/harness'),
    base: './',
    logLevel: 'warn',
    configFile: false,
    plugins: [svelte({ configFile: resolve('svelte.config.js') })],
    build: { outDir: harnessDir, emptyOutDir: true },
  });
}
