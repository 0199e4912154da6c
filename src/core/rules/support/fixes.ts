/** Fixes that rewrite a migration: keywords added in place, statements moved into a new migration folder. */
import * as path from 'node:path';
import { displayTable, quoteAlways } from '../../pg/names';
import type { Fix } from '../../types';
import type { AnalyzedStatement, MigrationContext } from '../rule';

/** Statement text with the terminating semicolon, for moving it elsewhere. */
export function statementSql(st: AnalyzedStatement): string {
  return st.sql.text.endsWith(';') ? st.sql.text : `${st.sql.text};`;
}

/**
 * A new migration folder next to this one, sorted right after it: timestamp + 1 second (Prisma's
 * folder names are `YYYYMMDDHHMMSS_name`), so Prisma applies it next.
 */
export function followUpMigrationPath(ctx: MigrationContext, name: string, secondsLater = 1): string {
  const dir = path.dirname(path.dirname(ctx.file));
  const m = /^(\d{14})_/.exec(ctx.name);
  let stamp: string;
  if (m) {
    const d = new Date(Date.UTC(+m[1].slice(0, 4), +m[1].slice(4, 6) - 1, +m[1].slice(6, 8), +m[1].slice(8, 10), +m[1].slice(10, 12), +m[1].slice(12, 14) + secondsLater));
    stamp = d.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  } else stamp = `${ctx.name}_${secondsLater}`;
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '').slice(0, 60);
  return path.join(dir, `${stamp}_${slug}`, 'migration.sql');
}

/** Removes a statement (and the line it stood on, if it becomes empty) from the file. */
export function removeStatementEdit(ctx: MigrationContext, st: AnalyzedStatement): { startOffset: number; endOffset: number } {
  const text = ctx.text;
  let start = st.sql.range.startOffset;
  let end = st.sql.range.endOffset;
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  if (text.slice(lineStart, start).trim() === '') start = lineStart;
  const nl = text.indexOf('\n', end);
  const lineEnd = nl < 0 ? text.length : nl + 1;
  if (text.slice(end, lineEnd).trim() === '') end = lineEnd;
  return { startOffset: start, endOffset: end };
}

/** Whether `st` is the file's only statement (comments and empty statements aside). */
function onlyStatement(ctx: MigrationContext, st: AnalyzedStatement): boolean {
  // Stops at the first other statement: called for every index of a long file, it must not count them all.
  return !ctx.statements.some((o) => o !== st && o.sql.node);
}

/** Fix: move the statement into a new migration folder of its own, right after this one. */
export function moveToOwnMigrationFix(ctx: MigrationContext, st: AnalyzedStatement, name: string, title?: string): Fix {
  const file = followUpMigrationPath(ctx, name);
  return {
    title: title ?? `Move this statement into a new migration of its own (${path.basename(path.dirname(file))})`,
    safe: false,
    edits: [{ file: ctx.file, ...removeStatementEdit(ctx, st), newText: '' }],
    newFiles: [{ file, content: `${statementSql(st)}\n` }],
  };
}

/**
 * Fix: insert a lock timeout before the statement, so it gives up instead of queueing behind a
 * long transaction (and making every later query queue behind it). In a batch the file is one
 * transaction, so `SET LOCAL` ends with it; run statement by statement (Prisma ≥ 7.4), a plain
 * `SET` is needed and a `RESET` at the end keeps it from leaking into later migrations.
 */
export function lockTimeoutFix(ctx: MigrationContext, st: AnalyzedStatement, timeout = '5s'): Fix {
  const at = ctx.text.lastIndexOf('\n', st.sql.range.startOffset - 1) + 1;
  const indent = ctx.text.slice(at, st.sql.range.startOffset).match(/^\s*/)?.[0] ?? '';
  const batch = ctx.execution.mode === 'batch' || ctx.inExplicitBlock(st.index);
  const edits: Fix['edits'] = [
    { file: ctx.file, startOffset: at, endOffset: at, newText: `${indent}SET ${batch ? 'LOCAL ' : ''}lock_timeout = '${timeout}';\n` },
  ];
  if (!batch && !/^\s*RESET\s+lock_timeout\s*;/im.test(ctx.text)) {
    const end = ctx.text.length;
    edits.push({ file: ctx.file, startOffset: end, endOffset: end, newText: `${ctx.text.endsWith('\n') ? '' : '\n'}RESET lock_timeout;\n` });
  }
  return { title: `Insert SET ${batch ? 'LOCAL ' : ''}lock_timeout = '${timeout}' before this statement`, safe: true, edits };
}

/** `NOT VALID` before the statement's `;`, and a follow-up migration with `VALIDATE CONSTRAINT`. */
export function notValidThenValidateFix(ctx: MigrationContext, st: AnalyzedStatement, table: string, constraint: string, what: string): Fix {
  const text = st.sql.text;
  const endsWithSemicolon = text.endsWith(';');
  const insertAt = st.sql.range.startOffset + (endsWithSemicolon ? text.length - 1 : text.length);
  const file = followUpMigrationPath(ctx, `validate_${constraint}`);
  return {
    title: `Add the ${what} NOT VALID here and validate it in a new migration`,
    safe: false,
    edits: [{ file: ctx.file, startOffset: insertAt, endOffset: insertAt, newText: ' NOT VALID' }],
    newFiles: [{ file, content: `-- Validates ${quoteAlways(constraint)} without blocking writes (SHARE UPDATE EXCLUSIVE).\nALTER TABLE ${displayTable(table)} VALIDATE CONSTRAINT ${quoteAlways(constraint)};\n` }],
  };
}

/**
 * `CONCURRENTLY` right after `INDEX`. When the statement would then share a transaction with
 * others, it must also move into a migration of its own.
 */
export function addConcurrentlyFixes(ctx: MigrationContext, st: AnalyzedStatement): Fix[] {
  const m = /^(\s*CREATE\s+(?:UNIQUE\s+)?INDEX|\s*DROP\s+INDEX)\b/i.exec(st.sql.text);
  if (!m) return [];
  const at = st.sql.range.startOffset + m[0].length;
  const alone = !ctx.inExplicitBlock(st.index) && onlyStatement(ctx, st);
  // sqlparser 0.61 cannot parse DROP INDEX CONCURRENTLY, so adding it to a multi-statement file
  // would make Prisma ≥ 7.4 fall back to one batch, where CONCURRENTLY fails.
  const isDrop = /^\s*DROP/i.test(m[1]);
  const runsAlone = alone || (!isDrop && ctx.execution.mode === 'split' && !ctx.inExplicitBlock(st.index));
  if (runsAlone) {
    return [{ title: 'Add CONCURRENTLY', safe: true, edits: [{ file: ctx.file, startOffset: at, endOffset: at, newText: ' CONCURRENTLY' }] }];
  }
  const moved = moveToOwnMigrationFix(ctx, st, `${isDrop ? 'drop' : 'create'}_index_concurrently`);
  const statementText = statementSql(st);
  const rel = at - st.sql.range.startOffset;
  moved.title = 'Add CONCURRENTLY and move the statement into a new migration of its own';
  moved.newFiles = moved.newFiles!.map((f) => ({ ...f, content: `${statementText.slice(0, rel)} CONCURRENTLY${statementText.slice(rel)}\n` }));
  return [moved];
}
