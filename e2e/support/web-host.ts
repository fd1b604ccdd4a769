import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface RunningWebHost {
  /** The printed address, token included. */
  url: string;
  origin: string;
  port: number;
  token: string;
  dataDir: string;
  /** Everything the host printed, for diagnosing failures. */
  output(): string;
  /** False once the host process has exited, for whatever reason. */
  isRunning(): boolean;
  stop(): Promise<void>;
  /** Kills the host at once (SIGKILL): no shutdown, nothing flushed, as when it crashes. */
  kill(): Promise<void>;
}

/**
 * Starts the built browser-mode host (`out/main/web-host.js`) on a free port (or `port`) with a fresh data
 * folder (or `dataDir`, to start it again where it ran before).
 */
export async function startWebHost(
  options: { dataDir?: string; env?: NodeJS.ProcessEnv; port?: number } = {},
): Promise<RunningWebHost> {
  const entry = path.resolve('out/main/web-host.js');
  if (!fs.existsSync(entry))
    throw new Error(`${entry} is missing: run \`npm run build\` first (npm test does).`);
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'phidesk-e2e-'));
  const child = spawn(process.execPath, [entry, '--port', String(options.port ?? 0)], {
    env: { ...process.env, PHIDESK_TEST_SURFACE: '1', ...options.env, PHIDESK_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`web host did not start:\n${output}`)), 30_000);
    const check = (): void => {
      const match = /Open: (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout.on('data', check);
    child.once('exit', (code) => reject(new Error(`web host exited with ${code}:\n${output}`)));
  });
  const parsed = new URL(url);
  return {
    url,
    origin: parsed.origin,
    port: Number(parsed.port),
    token: parsed.searchParams.get('token')!,
    dataDir,
    output: () => output,
    isRunning: () => child.exitCode === null && child.signalCode === null,
    stop: () => stopChild(child, 'SIGTERM'),
    kill: () => stopChild(child, 'SIGKILL'),
  };
}

function stopChild(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill(signal);
  });
}
