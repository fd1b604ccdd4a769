import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { AppInfo, LlamaRuntimeStatus } from '../../src-shared/types';
import { testCoreOptions } from '../test-support/core';
import { createCore } from './create-core';
import { configureLogFile, createLogger, disableLogFile } from './log';

const dataDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'phidesk-core-')), 'nested', 'data');
const core = createCore(testCoreOptions(dataDir, { appVersion: '1.2.3' }));
afterAll(() => core.dispose());

describe('createCore', () => {
  it('creates the data folder', () => {
    expect(fs.statSync(dataDir).isDirectory()).toBe(true);
  });

  it('answers app.info with versions from both native modules', async () => {
    const outcome = await core.rpc.handle('app.info', {});
    expect(outcome.ok).toBe(true);
    const info = (outcome as { result: AppInfo }).result;
    expect(info).toMatchObject({ name: 'Phidesk', version: '1.2.3', host: 'browser', dataDir });
    expect(info.versions.sqlite).toMatch(/^3\.\d+\.\d+$/);
    expect(info.versions.electron).toBeNull();
  });

  it('loads the real llama.cpp runtime in the background and announces its backend', async () => {
    const announced: LlamaRuntimeStatus[] = [];
    core.bus.subscribe((name, payload) => {
      if (name === 'llama.runtime') announced.push(payload as LlamaRuntimeStatus);
    });
    await expect
      .poll(async () => ((await core.rpc.handle('app.info', {})) as { result: AppInfo }).result.llama.state, {
        timeout: 30_000,
      })
      .toBe('ready');
    const { result } = (await core.rpc.handle('app.info', {})) as { result: AppInfo };
    expect(result.llama.state === 'ready' && result.llama.backend).toMatch(/^(cpu|metal|cuda|vulkan)$/);
    // The runtime starts in the engine process, which announces `starting` once it is up, then `ready`:
    // all of it after we subscribed, or only the end, or none (it was ready before). Never a failure.
    const states = announced.map((status) => status.state).filter((state, i, all) => state !== all[i - 1]);
    expect([[], ['ready'], ['starting', 'ready']]).toContainEqual(states);
  });
});

describe('the log in core', () => {
  it('has no log file when the composition root configured none', async () => {
    const info = ((await core.rpc.handle('app.info', {})) as { result: AppInfo }).result;
    expect(info.logFile).toBeNull();
    expect(await core.rpc.handle('app.revealLog', {})).toMatchObject({
      ok: false,
      error: { code: 'unavailable' },
    });
  });

  it('reports the log file, opens its folder on the desktop and names it in an internal error', async () => {
    const logDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'phidesk-core-log-'));
    const logFile = configureLogFile(logDataDir)!;
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const openFolder = vi.fn<(folder: string) => void>();
    const desktop = {
      reveal: vi.fn(),
      openFolder,
      chooseModelFile: vi.fn(() => Promise.resolve(null)),
      chooseNoteFiles: vi.fn(() => Promise.resolve([])),
    };
    const logged = createCore(
      testCoreOptions(path.join(logDataDir, 'data'), {
        logFile,
        desktop,
        log: createLogger('core', 'error'),
      }),
    );
    try {
      const info = ((await logged.rpc.handle('app.info', {})) as { result: AppInfo }).result;
      expect(info.logFile).toBe(logFile);

      expect(await logged.rpc.handle('app.revealLog', {})).toEqual({
        ok: true,
        result: { handledBy: 'desktop', folder: path.dirname(logFile), file: logFile },
      });
      expect(openFolder).toHaveBeenCalledWith(path.dirname(logFile));

      openFolder.mockImplementation(() => {
        throw new Error('no file manager on this machine');
      });
      const failed = await logged.rpc.handle('app.revealLog', {});
      expect(failed).toEqual({
        ok: false,
        error: { code: 'internal', message: `Internal error; see the log for details: ${logFile}` },
      });
      // …and the details are there.
      expect(fs.readFileSync(logFile, 'utf8')).toMatch(
        /error \[core\] app\.revealLog failed Error: no file manager on this machine/,
      );
    } finally {
      await logged.dispose();
      disableLogFile();
      vi.restoreAllMocks();
    }
  });
});
