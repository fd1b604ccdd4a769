/**
 * Saves text the backend prepared (an exported conversation or note) as a file through the browser's
 * download, which works in both hosts: the desktop app asks where to save it, a browser saves it to its
 * downloads folder.
 */
export function saveFile(file: { fileName: string; mimeType: string; content: string }): void {
  const url = URL.createObjectURL(new Blob([file.content], { type: file.mimeType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = file.fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
