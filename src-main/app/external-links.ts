import { dialog, shell, type BrowserWindow } from 'electron';

/**
 * Opens a link from a message in the system browser once the person confirms it in a native dialog,
 * which the page cannot draw or click for them.
 */
export async function confirmAndOpenExternal(
  url: string,
  parent: BrowserWindow | undefined,
): Promise<boolean> {
  const parsed = new URL(url);
  if (!['https:', 'http:', 'mailto:'].includes(parsed.protocol)) return false;
  const options = {
    type: 'question' as const,
    buttons: ['Open in browser', 'Cancel'],
    defaultId: 1,
    cancelId: 1,
    message: 'Open this link in your browser?',
    detail: parsed.href,
  };
  const { response } = parent
    ? await dialog.showMessageBox(parent, options)
    : await dialog.showMessageBox(options);
  if (response !== 0) return false;
  await shell.openExternal(parsed.href);
  return true;
}
