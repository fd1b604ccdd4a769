import type { LaunchEngine } from '../core/engine/process/launch';

/** What the `phidesk` entry gives each command: how to start the engine process (beside the entry). */
export interface CliContext {
  launchEngine: LaunchEngine;
}
