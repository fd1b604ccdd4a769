/**
 * The core composition root: builds every service from plain options. Electron's main process and the
 * browser-mode web host both call this; neither adds behaviour of its own.
 */
import fs from 'node:fs';
import os from 'node:os';
import type { AppInfo, HostKind } from '../../src-shared/types';
import { diagnosticsHandlers } from './diagnostics/handlers';
import { Diagnostics } from './diagnostics/diagnostics';
import { Engine } from './engine/engine';
import { engineHandlers } from './engine/handlers';
import { LlamaRuntime } from './engine/llama-runtime';
import { EventBus } from './event-bus';
import type { Logger } from './log';
import { RpcServer, type Handlers } from './rpc/rpc-server';
import { sqliteVersion } from './store/sqlite';

export interface CoreOptions {
  host: HostKind;
  appVersion: string;
  dataDir: string;
  /** better-sqlite3 binary for this runtime; undefined uses the one npm built for Node. */
  sqliteBinding?: string | undefined;
  log: Logger;
}

export interface Core {
  bus: EventBus;
  rpc: RpcServer;
  engine: Engine;
  dispose(): Promise<void>;
}

export function createCore(options: CoreOptions): Core {
  fs.mkdirSync(options.dataDir, { recursive: true });
  const bus = new EventBus();
  const llama = new LlamaRuntime(bus);
  const diagnostics = new Diagnostics(bus);
  const engine = new Engine({ bus, runtime: llama, log: options.log });
  const sqlite = sqliteVersion(options.sqliteBinding);

  const appInfo = (): AppInfo => ({
    name: 'Phidesk',
    version: options.appVersion,
    host: options.host,
    platform: process.platform,
    arch: os.arch(),
    dataDir: options.dataDir,
    versions: { node: process.versions.node, electron: process.versions.electron ?? null, sqlite },
    llama: llama.status,
  });

  const handlers: Handlers = {
    'app.info': appInfo,
    ...diagnosticsHandlers(diagnostics),
    ...engineHandlers(engine),
  };
  const rpc = new RpcServer(handlers, bus, (error, method) => options.log.error(`${method} failed`, error));

  // Load llama.cpp in the background; its status reaches the renderer as an event.
  llama.get().catch((error: unknown) => options.log.warn('llama.cpp runtime unavailable', error));

  return {
    bus,
    rpc,
    engine,
    async dispose() {
      diagnostics.dispose();
      await engine.dispose();
      await llama.dispose();
    },
  };
}
