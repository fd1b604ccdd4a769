/**
 * Downloads model files (TEST-CATALOG M5–M7): written to `<name>.part` beside a small `.download.json`
 * that remembers what is being fetched, resumed with an HTTP Range request after a dropped connection or a
 * restart, and checked (size and SHA-256) before the atomic rename to the final name. A file that fails the
 * check is never renamed, so it can never be loaded. Free disk space is checked before starting; proxies
 * come from HTTPS_PROXY / HTTP_PROXY / NO_PROXY; a Hugging Face token is sent when one is set.
 */
import { createHash, type Hash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { EnvHttpProxyAgent, fetch, type Dispatcher } from 'undici';
import { z } from 'zod';
import { AppError } from '../../../src-shared/errors';
import { formatBytes } from '../../../src-shared/format';
import type { DownloadState } from '../../../src-shared/types';
import type { EventBus } from '../event-bus';
import type { Logger } from '../log';

export interface DownloadRequest {
  id: string;
  name: string;
  url: string;
  fileName: string;
  size: number | null;
  sha256: string | null;
  /** Where to read the size and SHA-256 when not known in advance (Hugging Face's tree API). */
  lookup?: { url: string; path: string } | undefined;
}

export interface DownloaderOptions {
  modelsDir: string;
  bus: EventBus;
  log: Logger;
  /** Called with the verified file, to register it. */
  onComplete: (file: string, sha256: string) => Promise<void>;
  token: () => string | null;
  freeSpace?: (folder: string) => Promise<number>;
  dispatcher?: Dispatcher;
  /** Waits before each automatic retry after a dropped connection. */
  retryDelaysMs?: readonly number[];
}

/** Room to leave on the disk beyond the file itself. */
const diskMargin = 64 * 1024 * 1024;
const progressIntervalMs = 250;

const sidecarSchema = z.object({
  version: z.literal(1),
  id: z.string(),
  name: z.string(),
  url: z.string(),
  fileName: z.string(),
  size: z.number().nullable(),
  sha256: z.string().nullable(),
  lookup: z.object({ url: z.string(), path: z.string() }).optional(),
  error: z.string().nullable().optional(),
});

interface Job {
  request: DownloadRequest;
  state: DownloadState;
  controller: AbortController | null;
  /** Why the current run was aborted, if it was. */
  abortReason: 'pause' | 'cancel' | null;
  samples: { at: number; bytes: number }[];
}

/** The bytes in the partial file so far and their running SHA-256. */
interface Written {
  bytes: number;
  hash: Hash;
}

/** A failure a retry cannot fix (not found, refused, wrong checksum). */
class FatalDownloadError extends Error {}

export class Downloader {
  #options: DownloaderOptions;
  #jobs = new Map<string, Job>();
  #dispatcher: Dispatcher;
  #lastEmit = 0;
  #emitTimer: NodeJS.Timeout | null = null;

  constructor(options: DownloaderOptions) {
    this.#options = options;
    this.#dispatcher = options.dispatcher ?? new EnvHttpProxyAgent();
    fs.mkdirSync(options.modelsDir, { recursive: true });
  }

  list(): DownloadState[] {
    return [...this.#jobs.values()].map((job) => ({ ...job.state }));
  }

  /** Lists downloads left by an earlier run (closed or killed mid-way) as paused, ready to resume (M6). */
  restore(): void {
    for (const name of fs.readdirSync(this.#options.modelsDir)) {
      if (!name.endsWith('.download.json')) continue;
      try {
        const sidecar = sidecarSchema.parse(
          JSON.parse(fs.readFileSync(path.join(this.#options.modelsDir, name), 'utf8')),
        );
        const job = this.#newJob({ ...sidecar, lookup: sidecar.lookup });
        job.state.status = sidecar.error ? 'failed' : 'paused';
        job.state.error = sidecar.error ?? null;
        job.state.receivedBytes = fileSize(this.#partPath(job.request));
        this.#jobs.set(sidecar.id, job);
      } catch (error) {
        this.#options.log.warn(`Ignoring unreadable download record ${name}`, error);
      }
    }
  }

  /** Starts a download, or resumes it if it is paused or failed. */
  start(request: DownloadRequest): DownloadState {
    const existing = this.#jobs.get(request.id);
    if (existing && ['starting', 'downloading', 'verifying'].includes(existing.state.status))
      return { ...existing.state };
    if (fs.existsSync(path.join(this.#options.modelsDir, request.fileName))) {
      throw new AppError('invalid_input', `${request.fileName} is already in the models folder.`);
    }
    const job = existing ?? this.#newJob(request);
    this.#jobs.set(request.id, job);
    void this.#run(job);
    return { ...job.state };
  }

  resume(id: string): DownloadState {
    const job = this.#require(id);
    return this.start(job.request);
  }

  pause(id: string): void {
    const job = this.#require(id);
    if (!job.controller) return;
    job.abortReason = 'pause';
    job.controller.abort();
  }

  /** Stops and removes the download and its partial file. */
  cancel(id: string): void {
    const job = this.#require(id);
    if (job.controller) {
      job.abortReason = 'cancel';
      job.controller.abort();
    } else {
      this.#remove(job);
    }
  }

  /** On quit: running downloads stop where they are, to resume at the next start. */
  dispose(): void {
    for (const job of this.#jobs.values()) {
      if (job.controller) {
        job.abortReason = 'pause';
        job.controller.abort();
      }
    }
  }

  #newJob(request: DownloadRequest): Job {
    return {
      request,
      controller: null,
      abortReason: null,
      samples: [],
      state: {
        id: request.id,
        name: request.name,
        url: request.url,
        path: path.join(this.#options.modelsDir, request.fileName),
        receivedBytes: 0,
        totalBytes: request.size,
        bytesPerSecond: 0,
        secondsLeft: null,
        status: 'starting',
        error: null,
      },
    };
  }

  async #run(job: Job): Promise<void> {
    const controller = new AbortController();
    job.controller = controller;
    job.abortReason = null;
    job.samples = [];
    this.#update(job, { status: 'starting', error: null }, true);
    const part = this.#partPath(job.request);
    try {
      const { size, sha256 } = await this.#expected(job, controller.signal);
      this.#writeSidecar(job.request, null);
      await this.#checkDiskSpace(size - fileSize(part));

      const written: Written = { bytes: fileSize(part), hash: createHash('sha256') };
      if (written.bytes > size) {
        fs.truncateSync(part, 0);
        written.bytes = 0;
      }
      await hashExisting(part, written, controller.signal);
      this.#update(job, { status: 'downloading', receivedBytes: written.bytes, totalBytes: size }, true);

      const delays = this.#options.retryDelaysMs ?? [1000, 2000, 4000, 8000];
      for (let attempt = 0; ; attempt++) {
        try {
          await this.#fetchInto(job, part, written, size, controller.signal);
          if (written.bytes === size) break;
          throw new Error('the server sent less than the whole file');
        } catch (error) {
          if (controller.signal.aborted || error instanceof FatalDownloadError || attempt >= delays.length)
            throw error;
          this.#options.log.warn(
            `Download ${job.request.name} interrupted (${(error as Error).message}); resuming`,
          );
          await delay(delays[attempt]!, controller.signal);
        }
      }

      this.#update(job, { status: 'verifying' }, true);
      const digest = written.hash.digest('hex');
      if (digest !== sha256) {
        fs.rmSync(part, { force: true });
        throw new FatalDownloadError(
          `The downloaded file is damaged (its SHA-256 does not match), so it was discarded. Try again.`,
        );
      }
      const final = path.join(this.#options.modelsDir, job.request.fileName);
      fs.renameSync(part, final);
      fs.rmSync(this.#sidecarPath(job.request), { force: true });
      await this.#options.onComplete(final, sha256);
      this.#update(job, { status: 'complete', receivedBytes: size, secondsLeft: 0 }, true);
    } catch (error) {
      if (job.abortReason === 'cancel') {
        this.#remove(job);
      } else if (job.abortReason === 'pause') {
        this.#update(
          job,
          { status: 'paused', receivedBytes: fileSize(part), bytesPerSecond: 0, secondsLeft: null },
          true,
        );
      } else {
        const message = error instanceof Error ? error.message : String(error);
        const fatal = error instanceof FatalDownloadError || error instanceof AppError;
        this.#writeSidecar(job.request, fatal ? message : null);
        this.#update(
          job,
          {
            status: fatal ? 'failed' : 'paused',
            error: fatal
              ? message
              : `The connection was lost (${message}). Resume to continue from where it stopped.`,
            receivedBytes: fileSize(part),
            bytesPerSecond: 0,
            secondsLeft: null,
          },
          true,
        );
      }
    } finally {
      job.controller = null;
    }
  }

  /** Size and SHA-256: from the request, else from the Hugging Face API, before any byte is fetched. */
  async #expected(job: Job, signal: AbortSignal): Promise<{ size: number; sha256: string }> {
    const { request } = job;
    if (request.size !== null && request.sha256 !== null)
      return { size: request.size, sha256: request.sha256 };
    if (!request.lookup)
      throw new FatalDownloadError('The expected checksum of this file is unknown; it cannot be verified.');
    const response = await fetch(request.lookup.url, {
      headers: this.#authHeaders(),
      signal,
      dispatcher: this.#dispatcher,
    }).catch((error: unknown) => {
      throw new Error(`cannot reach ${new URL(request.lookup!.url).host}: ${(error as Error).message}`);
    });
    if (!response.ok)
      throw new FatalDownloadError(`Could not read the file's checksum (HTTP ${response.status}).`);
    const entries = z
      .array(
        z.object({
          path: z.string(),
          size: z.number(),
          lfs: z.object({ oid: z.string(), size: z.number() }).optional(),
        }),
      )
      .parse(await response.json());
    const entry = entries.find((candidate) => candidate.path === request.lookup!.path);
    if (!entry?.lfs || !/^[0-9a-f]{64}$/.test(entry.lfs.oid)) {
      throw new FatalDownloadError(`The repository does not list ${request.lookup.path} with a checksum.`);
    }
    request.size = entry.lfs.size;
    request.sha256 = entry.lfs.oid;
    this.#update(job, { totalBytes: entry.lfs.size }, true);
    return { size: entry.lfs.size, sha256: entry.lfs.oid };
  }

  async #checkDiskSpace(needed: number): Promise<void> {
    const free = await (this.#options.freeSpace ?? freeSpaceOf)(this.#options.modelsDir);
    if (free < needed + diskMargin) {
      throw new AppError(
        'disk_full',
        `Not enough disk space: the download needs ${formatBytes(needed + diskMargin)} and ${formatBytes(free)} is free.`,
        { needed: needed + diskMargin, free },
      );
    }
  }

  /** Fetches from `written.bytes` on, appending to the partial file; `written` follows every byte written. */
  async #fetchInto(
    job: Job,
    part: string,
    written: Written,
    size: number,
    signal: AbortSignal,
  ): Promise<void> {
    const headers: Record<string, string> = { ...this.#authHeaders() };
    if (written.bytes > 0) headers.Range = `bytes=${written.bytes}-`;
    const response = await fetch(job.request.url, {
      headers,
      signal,
      dispatcher: this.#dispatcher,
      redirect: 'follow',
    });
    if (response.status === 401 || response.status === 403) {
      throw new FatalDownloadError(
        `The server refused the download (HTTP ${response.status}). If the model is gated, set a Hugging Face token.`,
      );
    }
    if (response.status === 404) throw new FatalDownloadError('The file is not on the server (HTTP 404).');
    if (response.status === 416 && written.bytes === size) return;
    if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
    if (written.bytes > 0 && response.status !== 206) {
      // The server ignored the Range request and sends the whole file: start over.
      written.bytes = 0;
      written.hash = createHash('sha256');
    }
    const output = await fs.promises.open(part, written.bytes === 0 ? 'w' : 'a');
    try {
      for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
        if (written.bytes + chunk.length > size) {
          throw new FatalDownloadError(
            'The server sent more data than the file should hold; the download was stopped.',
          );
        }
        await output.write(chunk);
        written.hash.update(chunk);
        written.bytes += chunk.length;
        this.#progress(job, written.bytes);
      }
    } finally {
      await output.close();
    }
  }

  #progress(job: Job, received: number): void {
    const now = Date.now();
    job.samples.push({ at: now, bytes: received });
    while (job.samples.length > 2 && now - job.samples[0]!.at > 3000) job.samples.shift();
    const first = job.samples[0]!;
    const seconds = (now - first.at) / 1000;
    const rate = seconds > 0.2 ? (received - first.bytes) / seconds : job.state.bytesPerSecond;
    const total = job.state.totalBytes;
    this.#update(job, {
      receivedBytes: received,
      bytesPerSecond: rate,
      secondsLeft: total !== null && rate > 0 ? Math.ceil((total - received) / rate) : null,
    });
  }

  #update(job: Job, change: Partial<DownloadState>, now = false): void {
    Object.assign(job.state, change);
    // Progress arrives per chunk; a few updates a second are enough for a progress bar.
    if (now || Date.now() - this.#lastEmit >= progressIntervalMs) {
      this.#emit();
    } else {
      this.#emitTimer ??= setTimeout(() => this.#emit(), progressIntervalMs);
    }
  }

  #emit(): void {
    if (this.#emitTimer) clearTimeout(this.#emitTimer);
    this.#emitTimer = null;
    this.#lastEmit = Date.now();
    this.#options.bus.emit('downloads.changed', this.list());
  }

  #remove(job: Job): void {
    fs.rmSync(this.#partPath(job.request), { force: true });
    fs.rmSync(this.#sidecarPath(job.request), { force: true });
    this.#jobs.delete(job.request.id);
    this.#emit();
  }

  #writeSidecar(request: DownloadRequest, error: string | null): void {
    const record = { version: 1, ...request, error };
    fs.writeFileSync(this.#sidecarPath(request), JSON.stringify(record, null, 2));
  }

  #partPath(request: DownloadRequest): string {
    return path.join(this.#options.modelsDir, `${request.fileName}.part`);
  }

  #sidecarPath(request: DownloadRequest): string {
    return path.join(this.#options.modelsDir, `${request.fileName}.download.json`);
  }

  #authHeaders(): Record<string, string> {
    const token = this.#options.token();
    return token ? { Authorization: `Bearer ${token}` } : {};
  }

  #require(id: string): Job {
    const job = this.#jobs.get(id);
    if (!job) throw new AppError('not_found', `No download ${id}.`);
    return job;
  }
}

function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

async function freeSpaceOf(folder: string): Promise<number> {
  const stats = await fs.promises.statfs(folder);
  return stats.bavail * stats.bsize;
}

/** Feeds what a partial file already holds into the hash, so a resumed download is checked whole. */
async function hashExisting(file: string, written: Written, signal: AbortSignal): Promise<void> {
  if (written.bytes === 0) return;
  for await (const chunk of fs.createReadStream(file, { start: 0, end: written.bytes - 1, signal })) {
    written.hash.update(chunk as Buffer);
  }
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(new Error('aborted'));
    });
  });
}
