import path from 'node:path';
import type { CoreOptions } from '../core/create-core';
import { forkEngine } from '../core/engine/process/launch';
import { createLogger } from '../core/log';

export const resourcesDir = path.resolve(import.meta.dirname, '../../resources');
/** The engine process's entry, run from the sources (through tsx) as the app runs its build. */
export const engineEntry = path.resolve(import.meta.dirname, '../engine-process.ts');

/** Options for a real core in a test: browser host, this checkout's resources, quiet logs, the test surface. */
export function testCoreOptions(dataDir: string, extra: Partial<CoreOptions> = {}): CoreOptions {
  return {
    host: 'browser',
    appVersion: 'test',
    dataDir,
    resourcesDir,
    log: createLogger('test', 'error'),
    testSurface: true,
    launchEngine: forkEngine(engineEntry),
    ...extra,
  };
}
