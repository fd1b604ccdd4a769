import { api } from './api';

/**
 * Opens a link from a message outside the app. The desktop app asks in a native dialog and uses the
 * system browser; in browser mode the page asks and opens a new tab without access back to this one.
 */
export async function openExternal(href: string): Promise<void> {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return;
  }
  if (!['https:', 'http:', 'mailto:'].includes(url.protocol)) return;
  const { handledBy } = await api.call('app.openExternal', { url: url.href });
  if (handledBy === 'renderer' && window.confirm(`Open this link in a new tab?\n\n${url.href}`)) {
    window.open(url.href, '_blank', 'noopener,noreferrer');
  }
}
