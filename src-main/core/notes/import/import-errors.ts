/**
 * Why a file was not imported, in words shown next to its path in the import report (TEST-CATALOG I14).
 * An import never stops at a refusal: the file lands in the report's `failed` and the next one goes on.
 */
export class ImportRefusal extends Error {
  readonly reason: string;

  constructor(reason: string) {
    super(reason);
    this.name = 'ImportRefusal';
    this.reason = reason;
  }
}

/** A refusal for a file system error, so an unreadable file or folder is explained instead of thrown. */
export function fsRefusal(error: unknown, what: 'file' | 'folder'): ImportRefusal {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'EACCES' || code === 'EPERM')
    return new ImportRefusal(
      `Phidesk is not allowed to ${what === 'file' ? 'read this file' : 'open this folder'} (permission denied).`,
    );
  if (code === 'ENOENT') return new ImportRefusal(`This ${what} no longer exists.`);
  const detail = code ?? (error instanceof Error ? error.message : String(error));
  return new ImportRefusal(`This ${what} could not be read (${detail}).`);
}
