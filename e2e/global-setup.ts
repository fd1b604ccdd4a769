import fs from 'node:fs';
import { buildHarness } from './harness/build';
import { electronSkipNotice, findElectronBinary } from './support/electron';
import { endlessTestModel, slowEndlessTestModel } from './support/test-models';

export default async function globalSetup(): Promise<void> {
  if (!fs.existsSync('out/main/web-host.js')) {
    throw new Error('The app is not built: run `npm run build` first (`npm test` does it for you).');
  }
  await buildHarness();
  endlessTestModel();
  slowEndlessTestModel();
  const electron = findElectronBinary();
  // One clear line, once per run, so a skipped desktop suite is never mistaken for a passing one.
  if (!electron.available) console.log(electronSkipNotice(electron.reason));
}
