/**
 * Reads one file a note is imported from — Markdown, plain text, or the text layer of a PDF — or refuses it
 * with a reason a person can act on (TEST-CATALOG I14). The size is checked before a byte is read, so a
 * huge file costs a stat, not its size in memory.
 *
 * Reading comes in two steps, so an import can tell an unchanged file by its hash without the slow part:
 * `loadNoteFile` (size, bytes, hash) and `parseNoteFile` (the text, its title, a PDF's pages).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { limits } from '../../../../src-shared/limits';
import { splitLines } from '../../../../src-shared/lines';
import { fsRefusal, ImportRefusal } from './import-errors';
import { noteFileKind, unsupportedFileReason, type NoteFileKind } from './note-file-kinds';
import { pdfPageTexts } from './pdf-text';

export interface ReadNote {
  title: string;
  body: string;
  kind: NoteFileKind;
  /** SHA-256 of the file's bytes, hex. */
  sha256: string;
  /** For a PDF: the 1-based line of the body on which each page starts (page n at `pageLines[n-1]`). */
  pageLines: number[] | null;
}

/** A file's bytes, checked for size, and their hash. */
export interface LoadedNoteFile {
  kind: NoteFileKind;
  bytes: Uint8Array;
  sha256: string;
}

export async function readNoteFile(realPath: string): Promise<ReadNote> {
  return parseNoteFile(realPath, await loadNoteFile(realPath));
}

export async function loadNoteFile(realPath: string): Promise<LoadedNoteFile> {
  const kind = noteFileKind(realPath);
  if (!kind) throw new ImportRefusal(unsupportedFileReason(realPath));
  const stats = await fs.promises.stat(realPath).catch((error: unknown) => {
    throw fsRefusal(error, 'file');
  });
  if (!stats.isFile()) throw new ImportRefusal('This is not a file.');
  if (stats.size > limits.importFileBytes) throw tooLarge(stats.size);
  const bytes = await fs.promises.readFile(realPath).catch((error: unknown) => {
    throw fsRefusal(error, 'file');
  });
  // It may have grown since the stat.
  if (bytes.length > limits.importFileBytes) throw tooLarge(bytes.length);
  if (bytes.length === 0) throw new ImportRefusal('This file is empty.');
  return { kind, bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
}

export async function parseNoteFile(realPath: string, file: LoadedNoteFile): Promise<ReadNote> {
  const fileName = path.basename(realPath, path.extname(realPath));
  const { kind, sha256 } = file;
  if (kind === 'pdf') {
    const { body, pageLines } = joinPages(await pdfPages(file.bytes));
    return { title: clipTitle(fileName), body: checkedBody(body), kind, sha256, pageLines };
  }
  const body = checkedBody(decodeText(file.bytes));
  const title = (kind === 'md' ? markdownTitle(body) : null) ?? fileName;
  return { title: clipTitle(title), body, kind, sha256, pageLines: null };
}

function tooLarge(bytes: number): ImportRefusal {
  return new ImportRefusal(
    `This file is too large to import (${megabytes(bytes)}; the limit is ${megabytes(limits.importFileBytes)}).`,
  );
}

function megabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return `${mb < 10 ? mb.toFixed(1) : Math.round(mb)} MB`;
}

function checkedBody(body: string): string {
  if (!body.trim()) throw new ImportRefusal('This file is empty (it holds only blank space).');
  if (body.length > limits.noteChars) {
    const count = (n: number) => n.toLocaleString('en-US');
    throw new ImportRefusal(
      `This file's text is too long for one note (${count(body.length)} characters; the limit is ${count(limits.noteChars)}).`,
    );
  }
  return body;
}

// ---------------------------------------------------------------------------------------------------------
// Text files

/** Above this share of control characters a file is taken for binary, not text with a few stray ones. */
const maxControlShare = 0.05;

/** UTF-8 text with line ends as `\n` and without a byte order mark. */
function decodeText(bytes: Uint8Array): string {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
    throw new ImportRefusal('This file is UTF-16 text; save it as UTF-8 and import it again.');
  if (bytes.includes(0))
    throw new ImportRefusal('This looks like a binary file, not text (it contains NUL bytes).');
  if (controlShare(bytes) > maxControlShare)
    throw new ImportRefusal('This looks like a binary file, not text (it is full of control characters).');
  let text: string;
  try {
    // A BOM is dropped by the decoder (`ignoreBOM` is false by default).
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ImportRefusal(
      `This file is not valid UTF-8 text (first at line ${firstBrokenLine(bytes)}); save it as UTF-8 and import it again.`,
    );
  }
  return text.replace(/\r\n?/g, '\n');
}

/** Control characters that text does hold: tab, line and page breaks, and escape (coloured logs). */
const textControls = [0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1b];
const isBinaryControl = Uint8Array.from({ length: 256 }, (_, byte) =>
  (byte < 0x20 && !textControls.includes(byte)) || byte === 0x7f ? 1 : 0,
);

function controlShare(bytes: Uint8Array): number {
  let controls = 0;
  for (const byte of bytes) controls += isBinaryControl[byte]!;
  return controls / bytes.length;
}

/** Where the first invalid UTF-8 sequence is, as a line number: a lenient decoding marks it with U+FFFD. */
function firstBrokenLine(bytes: Uint8Array): number {
  const lenient = new TextDecoder('utf-8').decode(bytes);
  const at = lenient.indexOf('\uFFFD');
  return splitLines(lenient.slice(0, Math.max(at, 0))).length;
}

/** Lines searched for a `# Title` heading: front matter or a date may come before it. */
const titleSearchLines = 10;
const titleHeading = /^ {0,3}#[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/;
const fence = /^ {0,3}(`{3,}|~{3,})/;

/** The text of the first level-1 heading near the top, or null. */
function markdownTitle(body: string): string | null {
  for (const line of body.split('\n', titleSearchLines)) {
    // A `#` in a code block is not a heading, and a note starting with code has no title up here.
    if (fence.test(line)) return null;
    const title = titleHeading.exec(line)?.[1]?.trim();
    if (title) return title;
  }
  return null;
}

/** At most `noteTitleChars`, never cutting a character in half. */
function clipTitle(title: string): string {
  if (title.length <= limits.noteTitleChars) return title;
  const end = limits.noteTitleChars;
  return title.slice(0, /[\uD800-\uDBFF]/.test(title[end - 1]!) ? end - 1 : end);
}

// ---------------------------------------------------------------------------------------------------------
// PDF files

/** pdf.js accepts junk before the header, up to this far in. */
const pdfHeaderWithin = 1024;

/** Each page's text, or why the PDF cannot be read. */
async function pdfPages(bytes: Uint8Array): Promise<string[]> {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, pdfHeaderWithin));
  if (!head.includes('%PDF-'))
    throw new ImportRefusal('This file is not a PDF, though its name ends in .pdf.');
  try {
    return await pdfPageTexts(bytes);
  } catch (error) {
    throw pdfRefusal(error);
  }
}

function pdfRefusal(error: unknown): ImportRefusal {
  const name = error instanceof Error ? error.name : '';
  if (name === 'PasswordException')
    return new ImportRefusal('This PDF is protected by a password; remove the password and import it again.');
  if (name === 'InvalidPDFException') return new ImportRefusal('This PDF is damaged and cannot be read.');
  const detail = error instanceof Error ? error.message : String(error);
  return new ImportRefusal(`This PDF is damaged and cannot be read (${detail}).`);
}

/** The pages as one body, a blank line between them, and the line each page starts on. */
function joinPages(pages: string[]): { body: string; pageLines: number[] } {
  const texts = pages.map((page) => page.replace(/\r\n?/g, '\n').trim());
  if (!texts.some(Boolean)) throw new ImportRefusal('This PDF has no text (it may be scanned images).');
  const pageLines: number[] = [];
  let line = 1;
  for (const text of texts) {
    pageLines.push(line);
    // Its own lines, then the blank line before the next page.
    line += splitLines(text).length + 1;
  }
  return { body: texts.join('\n\n'), pageLines };
}
