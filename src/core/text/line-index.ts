import type { Position, SourceRange } from '../types';

/**
 * Maps UTF-16 offsets of one text to 1-based line/column positions and back.
 * Line breaks are `\n`, `\r\n` or a lone `\r` (a file with mixed endings still maps exactly).
 */
export class LineIndex {
  private readonly lineStarts: number[];

  constructor(readonly text: string) {
    // Native searches, not a loop over every character: most of this runs before the JIT has
    // warmed up (a CLI run), where a per-character loop costs ~100 ms per MB.
    const starts = [0];
    if (text.indexOf('\r') < 0) {
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    } else {
      const breaks = /\r\n?|\n/g;
      for (let m = breaks.exec(text); m; m = breaks.exec(text)) starts.push(m.index + m[0].length);
    }
    this.lineStarts = starts;
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= clamped) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: clamped - this.lineStarts[lo] + 1 };
  }

  offsetAt(position: Position): number {
    const line = Math.max(1, Math.min(position.line, this.lineStarts.length));
    const start = this.lineStarts[line - 1];
    return Math.min(start + Math.max(0, position.column - 1), this.text.length);
  }

  /** Offset of the start of the 1-based line. */
  lineStart(line: number): number {
    return this.lineStarts[Math.max(0, Math.min(line - 1, this.lineStarts.length - 1))];
  }

  range(startOffset: number, endOffset: number): SourceRange {
    return {
      startOffset,
      endOffset,
      start: this.positionAt(startOffset),
      end: this.positionAt(endOffset),
    };
  }
}
