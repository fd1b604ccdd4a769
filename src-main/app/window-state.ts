/** Remembers the main window's size, position and maximized state between runs. */
import fs from 'node:fs';
import path from 'node:path';
import { screen, type BrowserWindow, type Rectangle } from 'electron';
import { z } from 'zod';

const savedState = z.object({
  x: z.int(),
  y: z.int(),
  width: z.int().min(400).max(20000),
  height: z.int().min(300).max(20000),
  maximized: z.boolean(),
});
export type WindowState = z.infer<typeof savedState>;

const defaults = { width: 1200, height: 800 };

export function loadWindowState(dataDir: string): Partial<WindowState> & { width: number; height: number } {
  try {
    const parsed = savedState.safeParse(JSON.parse(fs.readFileSync(stateFile(dataDir), 'utf8')));
    // A window saved on a monitor that is gone would open off-screen: keep only its size then.
    if (parsed.success)
      return isVisible(parsed.data) ? parsed.data : { ...parsed.data, x: undefined, y: undefined };
  } catch {
    // No saved state yet, or unreadable: start with the defaults.
  }
  return defaults;
}

export function trackWindowState(window: BrowserWindow, dataDir: string): void {
  let timer: NodeJS.Timeout | undefined;
  const save = (): void => {
    if (window.isDestroyed() || window.isMinimized()) return;
    const bounds = window.getNormalBounds();
    const state: WindowState = { ...bounds, maximized: window.isMaximized() };
    try {
      fs.writeFileSync(stateFile(dataDir), JSON.stringify(state));
    } catch {
      // Losing the window position is not worth interrupting the user for.
    }
  };
  const saveSoon = (): void => {
    clearTimeout(timer);
    timer = setTimeout(save, 500);
  };
  window.on('resize', saveSoon);
  window.on('move', saveSoon);
  window.on('close', () => {
    clearTimeout(timer);
    save();
  });
}

function stateFile(dataDir: string): string {
  return path.join(dataDir, 'window-state.json');
}

function isVisible(bounds: Rectangle): boolean {
  return screen.getAllDisplays().some(({ workArea }) => {
    const overlapX =
      Math.min(bounds.x + bounds.width, workArea.x + workArea.width) - Math.max(bounds.x, workArea.x);
    const overlapY =
      Math.min(bounds.y + bounds.height, workArea.y + workArea.height) - Math.max(bounds.y, workArea.y);
    return overlapX >= 100 && overlapY >= 50;
  });
}
