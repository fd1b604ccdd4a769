import { resolve } from 'node:path';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'electron-vite';
import { cspMetaTag } from './scripts/csp-meta-tag';

export default defineConfig({
  main: {
    build: {
      rolldownOptions: {
        input: {
          // The Electron app, and browser mode: the same core under plain Node.
          index: resolve('src-main/index.ts'),
          'web-host': resolve('src-main/web-host.ts'),
          // The `phidesk` command line (bin/phidesk.js).
          cli: resolve('src-main/cli.ts'),
          // The engine process (llama.cpp), started beside each of them.
          'engine-process': resolve('src-main/engine-process.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      rolldownOptions: {
        input: { index: resolve('src-main/preload/index.ts') },
        // Sandboxed preloads cannot be ES modules.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve('src-renderer'),
    build: {
      rolldownOptions: { input: resolve('src-renderer/index.html') },
    },
    plugins: [svelte({ configFile: resolve('svelte.config.js') }), cspMetaTag()],
  },
});
