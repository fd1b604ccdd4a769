/** A file name from a title: no path characters, not empty, not too long. */
export function fileNameFor(title: string, fallback: string): string {
  const cleaned = title
    // Path separators, characters Windows refuses, and control characters.
    .replace(/[\\/:*?"<>|\p{Cc}]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    // A name of dots alone ("..") would be a folder reference.
    .replace(/^\.+$/, '')
    .slice(0, 80);
  return cleaned || fallback;
}
