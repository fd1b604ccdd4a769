import os from 'node:os';
import path from 'node:path';

/** The folder name under the OS's per-user application data location, as Electron names it. */
export const appFolderName = 'Phidesk';

/** Environment variable that moves the data folder (tests use a fresh temporary one). */
export const dataDirEnv = 'PHIDESK_DATA_DIR';

/**
 * The data folder: `$PHIDESK_DATA_DIR` if set, else Electron's `userData` location for Phidesk, computed
 * without Electron so the desktop app and browser mode share one folder.
 */
export function resolveDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = os.homedir(),
): string {
  const override = env[dataDirEnv]?.trim();
  if (override) return path.resolve(override);
  switch (platform) {
    case 'win32':
      return path.win32.join(env.APPDATA ?? path.win32.join(home, 'AppData', 'Roaming'), appFolderName);
    case 'darwin':
      return path.posix.join(home, 'Library', 'Application Support', appFolderName);
    default:
      return path.posix.join(env.XDG_CONFIG_HOME || path.posix.join(home, '.config'), appFolderName);
  }
}
