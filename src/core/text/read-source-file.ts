/**
 * Reads a file the analysis reviews (migration.sql, a .prisma file) as strict UTF-8, the way Prisma
 * does (prisma-engines reads them with Rust's `read_to_string`, which refuses invalid UTF-8).
 * Nothing is guessed: a file that cannot be read, or whose bytes are not UTF-8, comes back as a
 * problem with the reason and, for bad bytes, the position of the first one. A leading BOM is
 * dropped (editors hide it too).
 */
import { fstatSync, closeSync, openSync, readFileSync } from 'node:fs';
import type { SourceRange } from '../types';
import { LineIndex } from './line-index';
import { tooManyBytes } from './review-limits';

/** A file (or folder) the analysis needed and could not read or decode. */
export interface UnreadableFile {
  /** Absolute path of the file or folder. */
  file: string;
  /** What is wrong, as the end of a sentence about the file: "cannot be read: permission denied (EACCES)", "is not valid UTF-8: …". */
  reason: string;
  kind: 'unreadable' | 'directory' | 'undecodable' | 'too-large';
  /** The system's error code (EACCES, EISDIR, ENOENT…), when a read or stat failed. */
  code?: string;
  /** Where reading stopped: the first bad byte; the start of the file otherwise. */
  range: SourceRange;
}

export type SourceFileRead = { ok: true; text: string } | { ok: false; problem: UnreadableFile };

export const FILE_START: SourceRange = { startOffset: 0, endOffset: 0, start: { line: 1, column: 1 }, end: { line: 1, column: 1 } };

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads and decodes `file`. A file larger than the review limit is not read at all, and a
 * `migration.sql` that alters one table more often than the limit is not handed on (see review-limits.ts):
 * both come back as a `too-large` problem.
 */
export function readSourceFile(file: string): SourceFileRead {
  let bytes: Buffer;
  try {
    const fd = openSync(file, 'r');
    try {
      const st = fstatSync(fd);
      const tooLarge = st.isFile() ? tooManyBytes(st.size) : null;
      if (tooLarge) return { ok: false, problem: { file, kind: 'too-large', reason: tooLarge, range: FILE_START } };
      bytes = readFileSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    return { ok: false, problem: unreadableFile(file, e) };
  }
  return decodeSourceBytes(file, bytes);
}

/** The text of `bytes` as strict UTF-8, or the position of the first byte that is not UTF-8. */
export function decodeSourceBytes(file: string, bytes: Uint8Array): SourceFileRead {
  try {
    return { ok: true, text: strictUtf8.decode(bytes) };
  } catch {
    const bad = firstInvalidUtf8Byte(bytes);
    // Everything before the bad byte is valid: decode it to place the byte in lines and columns.
    const before = strictUtf8.decode(bytes.subarray(0, bad));
    const lines = new LineIndex(before);
    const at = lines.positionAt(before.length);
    const range = { startOffset: before.length, endOffset: before.length + 1, start: at, end: { line: at.line, column: at.column + 1 } };
    const hex = bytes[bad].toString(16).padStart(2, '0');
    return { ok: false, problem: { file, kind: 'undecodable', reason: `is not valid UTF-8: byte 0x${hex} at byte offset ${bad} (line ${at.line}, column ${at.column})`, range } };
  }
}

/** The problem for a failed read or stat of `file`. */
export function unreadableFile(file: string, e: unknown, what = 'read'): UnreadableFile {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code === 'EISDIR') return { file, kind: 'directory', code, reason: 'is a directory, not a file', range: FILE_START };
  return { file, kind: 'unreadable', ...(code ? { code } : {}), reason: `cannot be ${what}: ${fileErrorWords(e)}`, range: FILE_START };
}

/** Plain words for a failed read or stat, with the code: "permission denied (EACCES)". */
export function fileErrorWords(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  const words: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EIO: 'input/output error',
    ENOTDIR: 'a part of its path is not a directory',
    ELOOP: 'too many symbolic links',
    ENOENT: 'it does not exist',
    EMFILE: 'too many open files',
  };
  if (code && words[code]) return `${words[code]} (${code})`;
  return code ?? (e instanceof Error ? e.message : String(e));
}

/**
 * Byte offset of the first byte that does not start or continue a well-formed UTF-8 sequence
 * (Unicode's table 3-7: no overlong forms, no surrogates, nothing above U+10FFFF), or -1.
 */
export function firstInvalidUtf8Byte(bytes: Uint8Array): number {
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0;
      if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k <= need; k++) {
      const c = i + k < n ? bytes[i + k] : -1;
      const min = k === 1 ? lo : 0x80;
      const max = k === 1 ? hi : 0xbf;
      // A truncated or broken sequence: the lead byte is where the text stops being UTF-8.
      if (c < min || c > max) return i;
    }
    i += need + 1;
  }
  return -1;
}
