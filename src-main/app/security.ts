/**
 * Electron hardening (DESIGN section 6): no navigation away from the app, no new windows, no permissions,
 * no webviews. https links on the allow-list open in the system browser instead.
 */
import { app, session, shell, type WebContents } from 'electron';

/** Sites whose links may open in the system browser. Everything else is refused. */
const externalHosts = new Set([
  'huggingface.co',
  'github.com',
  'www.electronjs.org',
  'node-llama-cpp.withcat.ai',
  'en.wikipedia.org',
]);

export function isAllowedExternalUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' && parsed.username === '' && externalHosts.has(parsed.hostname);
  } catch {
    return false;
  }
}

export function hardenApp(isAppUrl: (url: string) => boolean): void {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);

  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.on('will-navigate', (event, url) => {
      if (isAppUrl(url)) return;
      event.preventDefault();
      if (isAllowedExternalUrl(url)) void shell.openExternal(url);
    });
    contents.on('will-redirect', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      if (isAllowedExternalUrl(url)) void shell.openExternal(url);
      return { action: 'deny' };
    });
  });
}
