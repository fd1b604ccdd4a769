/**
 * Browser mode: the same core as the desktop app, under plain Node, serving the built renderer on
 * 127.0.0.1. Usage: `npm run serve` (or `node out/main/web-host.js [--port N] [--new-token]`). Without
 * --port it listens where it did last time (or on a free port), with the same session secret.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import packageJson from '../package.json';
import { createCore } from './core/create-core';
import { engineEntryBeside, forkEngine } from './core/engine/process/launch';
import { configureLogFile, createLogger } from './core/log';
import { resolveDataDir } from './core/paths';
import { rememberedPort, rememberPort } from './web/remembered-port';
import { loadSessionSecret } from './web/session-secret';
import { startWebServer } from './web/web-server';

const log = createLogger('web-host');

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: process.env.PHIDESK_PORT },
      // A new session secret: every page open on the old one must use the newly printed address.
      'new-token': { type: 'boolean', default: false },
    },
  });
  const port = values.port === undefined ? null : Number(values.port);
  if (port !== null && (!Number.isInteger(port) || port < 0 || port > 65535)) {
    console.error(`Invalid --port: ${values.port} (use a number from 0 to 65535; 0 picks a free one).`);
    process.exit(2);
  }

  const dataDir = resolveDataDir();
  const logFile = configureLogFile(dataDir);
  log.info(
    `Phidesk ${packageJson.version} starting in browser mode (Node ${process.versions.node}), data in ${dataDir}`,
  );
  const core = createCore({
    host: 'browser',
    appVersion: packageJson.version,
    dataDir,
    logFile,
    // The end-to-end tests drive the engine directly; nobody else gets those methods.
    testSurface: process.env.PHIDESK_TEST_SURFACE === '1',
    resourcesDir: path.join(import.meta.dirname, '../../resources'),
    log,
    // llama.cpp runs in a child process: a native crash there never takes the host down.
    launchEngine: forkEngine(engineEntryBeside(import.meta.filename)),
  });
  // Kept in the data folder, with the port, so a restarted host takes back the pages it served.
  const token = loadSessionSecret(dataDir, { rotate: values['new-token'] });
  const start = (listenOn: number) =>
    startWebServer({
      rpc: core.rpc,
      rendererDir: path.join(import.meta.dirname, '../renderer'),
      token,
      port: listenOn,
      log,
    });
  const remembered = port === null ? rememberedPort(dataDir) : null;
  const server = await start(port ?? remembered ?? 0).catch((error: unknown) => {
    if (remembered === null || (error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    console.log(`Port ${remembered}, used last time, is taken now; using a free one instead.`);
    return start(0);
  });
  rememberPort(dataDir, server.port);

  console.log(
    `Phidesk (browser mode) is running.\n  Open: ${server.url}\n  Data: ${dataDir}\n  Log:  ${logFile ?? 'stderr only'}\nPress Ctrl+C to stop.`,
  );

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void server
      .close()
      .then(() => core.dispose())
      .finally(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    console.error('That port is in use. Choose another with --port N, or leave it out to get a free one.');
  } else {
    log.error('Could not start browser mode', error);
  }
  process.exit(1);
});
