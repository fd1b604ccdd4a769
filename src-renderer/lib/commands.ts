import type { AppCommand, ViewId } from '../../src-shared/types';

/** Keyboard shortcuts, the same as the desktop menu's accelerators (which take precedence there). */
const viewByDigit: Record<string, ViewId> = {
  '1': 'chat',
  '2': 'tutor',
  '3': 'mistakes',
  '4': 'notes',
  '5': 'models',
};

export function commandForKey(event: KeyboardEvent): AppCommand | null {
  const mod = navigator.platform.startsWith('Mac') ? event.metaKey : event.ctrlKey;
  if (!mod || event.altKey || event.shiftKey) return null;
  if (event.key === ',') return { command: 'navigate', view: 'settings' };
  if (event.key.toLowerCase() === 'n') return { command: 'new-chat' };
  if (event.key.toLowerCase() === 'k' || event.key.toLowerCase() === 'f') return { command: 'search' };
  const view = viewByDigit[event.key];
  return view ? { command: 'navigate', view } : null;
}
