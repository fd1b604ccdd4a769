import { resolve } from 'node:path';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { build } from 'vite';
import { cspMetaTag } from '../../scripts/csp-meta-tag';

export const harnessDir = resolve('out/harness');

/** Builds the Markdown harness page (the real MarkdownView, nothing else) into out/harness. */
export async function buildHarness(): Promise<void> {
  await build({
    root: resolve('e2e/harness'),
    base: './',
    logLevel: 'warn',
    configFile: false,
    // The app's own policy, so the harness renders under the same rules.
    plugins: [svelte({ configFile: resolve('svelte.config.js') }), cspMetaTag()],
    build: { outDir: harnessDir, emptyOutDir: true },
  });
}
