/** Data shapes that cross the contract. Plain data only: no classes, no functions. */

/** Where the backend runs: inside Electron's main process, or the browser-mode web host under Node. */
export type HostKind = 'electron' | 'browser';

export type GpuBackend = 'cpu' | 'metal' | 'cuda' | 'vulkan';

/** The llama.cpp runtime: loaded in the background at startup; the backend is known once it is ready. */
export type LlamaRuntimeStatus =
  | { state: 'starting' }
  | { state: 'ready'; backend: GpuBackend; gpuNames: string[]; llamaCppRelease: string }
  | { state: 'failed'; error: string };

export interface AppInfo {
  name: string;
  version: string;
  host: HostKind;
  platform: string;
  arch: string;
  dataDir: string;
  versions: { node: string; electron: string | null; sqlite: string };
  llama: LlamaRuntimeStatus;
}

export interface PingStarted {
  pingId: string;
  count: number;
}

export interface PingEvent {
  pingId: string;
  /** 1-based position of this event; the last one has `seq === count`. */
  seq: number;
  count: number;
  sentAt: number;
}

/** The app's views; the menu and shortcuts navigate between them. */
export const viewIds = ['chat', 'tutor', 'mistakes', 'notes', 'models', 'settings'] as const;
export type ViewId = (typeof viewIds)[number];

/** Commands the desktop shell (menu, accelerators) asks the renderer to carry out. */
export type AppCommand = { command: 'navigate'; view: ViewId } | { command: 'new-chat' };
