/** Core ranges (1-based lines, UTF-16 columns, offsets) → editor positions (0-based), and offsets in a text. */
import { LineIndex } from '../core/text/line-index';
import type { SourceRange } from '../core/types';
import type { EditorPosition, EditorRange } from './shapes';

export function toEditorRange(r: SourceRange): EditorRange {
  return { start: { line: r.start.line - 1, character: r.start.column - 1 }, end: { line: r.end.line - 1, character: r.end.column - 1 } };
}

export function sameRange(a: EditorRange, b: EditorRange): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

/** A document's text with the position arithmetic editors do (line breaks `\n`, `\r\n`, lone `\r`). */
export class DocumentText {
  private readonly index: LineIndex;

  constructor(readonly text: string) {
    this.index = new LineIndex(text);
  }

  positionAt(offset: number): EditorPosition {
    const p = this.index.positionAt(offset);
    return { line: p.line - 1, character: p.column - 1 };
  }

  offsetAt(position: EditorPosition): number {
    return this.index.offsetAt({ line: position.line + 1, column: position.character + 1 });
  }

  /** The text of a 0-based line, without its line break. */
  lineText(line: number): string {
    const start = this.index.lineStart(line + 1);
    const next = line + 1 < this.index.lineCount ? this.index.lineStart(line + 2) : this.text.length;
    return this.text.slice(start, next).replace(/\r?\n$|\r$/, '');
  }
}
