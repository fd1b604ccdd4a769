#!/usr/bin/env node
// The `phidesk` command runs the built CLI (src-main/cli.ts → out/main/cli.js).
import { existsSync } from 'node:fs';

const entry = new URL('../out/main/cli.js', import.meta.url);
if (!existsSync(entry)) {
  console.error(
    'phidesk: not built yet. Run `npm run build` in the Phidesk folder (or use `npm run cli --`).',
  );
  process.exit(1);
}
await import(entry.href);
