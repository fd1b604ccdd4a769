import { installElectronHint } from '../../scripts/electron-binary';

export { findElectronBinary } from '../../scripts/electron-binary';

export const electronSkipNotice = (reason: string): string =>
  `[e2e] Electron specs SKIPPED: ${reason}. Run \`${installElectronHint}\` to install it, then \`npm test\` again.`;
