import { describe, expect, it } from 'vitest';
import { resolveDataDir } from './paths';

describe('resolveDataDir', () => {
  it('uses PHIDESK_DATA_DIR when set, resolved to an absolute path', () => {
    expect(resolveDataDir({ PHIDESK_DATA_DIR: '/tmp/phidesk-test' }, 'linux', '/home/ada')).toBe(
      '/tmp/phidesk-test',
    );
    expect(resolveDataDir({ PHIDESK_DATA_DIR: 'rel/dir' }, 'linux', '/home/ada')).toBe(
      `${process.cwd()}/rel/dir`,
    );
  });

  it('matches Electron userData on each OS', () => {
    expect(resolveDataDir({}, 'linux', '/home/ada')).toBe('/home/ada/.config/Phidesk');
    expect(resolveDataDir({ XDG_CONFIG_HOME: '/xdg' }, 'linux', '/home/ada')).toBe('/xdg/Phidesk');
    expect(resolveDataDir({}, 'darwin', '/Users/ada')).toBe('/Users/ada/Library/Application Support/Phidesk');
    expect(resolveDataDir({ APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' }, 'win32', 'C:\\Users\\ada')).toBe(
      'C:\\Users\\ada\\AppData\\Roaming\\Phidesk',
    );
  });

  it('ignores a blank override', () => {
    expect(resolveDataDir({ PHIDESK_DATA_DIR: '  ' }, 'linux', '/home/ada')).toBe(
      '/home/ada/.config/Phidesk',
    );
  });
});
