import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AppInfo, LlamaRuntimeStatus } from '../../src-shared/types';
import { testCoreOptions } from '../test-support/core';
import { createCore } from './create-core';

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
    // Either it was announced after we subscribed, or it was already ready before: both are fine.
    expect(announced.every((status) => status.state === 'ready')).toBe(true);
  });
});
