/**
 * Runs one migration in a shadow database the way the project's Prisma version sends it, and
 * observes every statement.
 *
 * How locks are observed: a lock is visible in `pg_locks` only while the transaction that took it
 * is open. So each statement runs inside a transaction block that the dry run opens (or that the
 * batch / the file's own BEGIN already holds open), and `pg_locks` of the own backend is read right
 * after the statement, before the block ends. What the statement acquired is what is held after
 * it and was not held before it. Limits (docs/dry-run.md): a mode already held by an earlier
 * statement of the same transaction is not seen again; statements that cannot run inside a
 * transaction block (CONCURRENTLY, VACUUM) run bare and their locks are not observed; a failed
 * statement's locks are gone with its transaction.
 */
import { nodeBody, nodeType, transactionKindOf, type PgNode } from '../pg/ast';
import type { ParsedMigration, SqlStatement } from '../sql/parse-migration';
import { outsideVerdict } from './cluster-statements';
import { databaseFailureOf, isDatabaseError, type DatabaseFailure, type ShadowDatabase } from './engine';
import { acquiredLocks, heldRelationLocks, rewrittenTables, snapshotRelations, strongestPerTable } from './observe';
import type { TraceError, TracedStatement } from './types';

/**
 * `batch`: one implicit transaction for the whole file (Prisma ≤ 7.3, and the ≥ 7.4 fallback);
 * `split`: each statement on its own in autocommit (Prisma ≥ 7.4), the file's BEGIN blocks kept;
 * `isolated`: each statement in its own transaction and the file's own BEGIN/COMMIT ignored — not
 * how Prisma runs anything, but every statement's locks are seen exactly (the proof scripts).
 */
export type RunMode = 'batch' | 'split' | 'isolated';

export interface MigrationRun {
  statements: TracedStatement[];
  outcome: 'applied' | 'failed' | 'partially-applied';
  /** The shadow database stopped answering (a PGlite crash): nothing after this can run. */
  engineLost?: string;
}

type TxKind = 'begin' | 'commit' | 'rollback' | 'savepoint' | 'other' | null;

/** As the runner needs it: two-phase commands are just `other` statements here. */
function transactionKind(node: PgNode | null): TxKind {
  const kind = transactionKindOf(node);
  return kind === 'two-phase' ? 'other' : kind;
}

/** Statements PostgreSQL refuses inside a transaction block (SQLSTATE 25001). */
export function mustRunOutsideTransaction(node: PgNode | null): boolean {
  const s = nodeBody(node);
  switch (nodeType(node)) {
    case 'IndexStmt':
      return s.concurrent === true;
    case 'DropStmt':
      return s.concurrent === true;
    case 'ReindexStmt':
      return (s.params ?? []).some((p: PgNode) => p.DefElem?.defname === 'concurrently') || s.kind === 'REINDEX_OBJECT_SYSTEM' || s.kind === 'REINDEX_OBJECT_DATABASE';
    case 'VacuumStmt':
      return s.is_vacuumcmd === true;
    case 'CreatedbStmt':
    case 'DropdbStmt':
    case 'AlterSystemStmt':
    case 'CreateTableSpaceStmt':
    case 'DropTableSpaceStmt':
    case 'CreateSubscriptionStmt':
      return true;
    case 'ClusterStmt':
      return !s.relation;
    case 'AlterTableStmt':
      return (s.cmds ?? []).some((c: PgNode) => c.AlterTableCmd?.subtype === 'AT_DetachPartition' && c.AlterTableCmd?.def?.PartitionCmd?.concurrent);
    default:
      return false;
  }
}

/** `SET TRANSACTION ...` / `SET SESSION CHARACTERISTICS AS TRANSACTION ...`. */
function isSetTransaction(node: PgNode | null): boolean {
  if (nodeType(node) !== 'VariableSetStmt') return false;
  const name = String(nodeBody(node).name ?? '').toLowerCase();
  return name === 'transaction' || name === 'session_characteristics';
}

/** PostgreSQL's error position (1-based, in characters of the text sent) → UTF-16 offset into that text. */
export function characterPositionToOffset(text: string, position: number): number {
  let chars = 0;
  let i = 0;
  while (i < text.length && chars < position - 1) {
    const c = text.charCodeAt(i);
    i += c >= 0xd800 && c <= 0xdbff && i + 1 < text.length ? 2 : 1;
    chars++;
  }
  return i;
}

export function traceErrorOf(failure: DatabaseFailure, parsed: ParsedMigration, sentText: string, sentAt: number, fallbackOffset: number): TraceError {
  const offset = failure.position !== undefined ? sentAt + characterPositionToOffset(sentText, failure.position) : fallbackOffset;
  const pos = parsed.lines.positionAt(offset);
  return {
    sqlstate: failure.sqlstate,
    message: failure.message,
    ...(failure.detail ? { detail: failure.detail } : {}),
    ...(failure.hint ? { hint: failure.hint } : {}),
    line: pos.line,
    column: pos.column,
    offset,
  };
}

function blank(st: SqlStatement, status: TracedStatement['status'], note?: string): TracedStatement {
  return {
    index: st.index,
    range: st.range,
    start: st.range.start,
    end: st.range.end,
    status,
    locks: [],
    heldLocks: [],
    locksObserved: false,
    rewrites: [],
    durationMs: 0,
    ...(note ? { note } : {}),
  };
}

const round = (ms: number) => Math.round(ms * 100) / 100;

/** Thrown to stop a run when the engine itself broke (not a SQL error). */
class EngineLost extends Error {}

export interface RunOptions {
  /**
   * On a server: never send a statement that acts outside the temporary database (it is reported
   * `skipped`), flag procedural code that may (`uncertain`), and never send text Preflight's parser
   * cannot read.
   */
  confine?: boolean;
}

export async function runMigration(db: ShadowDatabase, parsed: ParsedMigration, mode: RunMode, options: RunOptions = {}): Promise<MigrationRun> {
  const stmts = parsed.statements;
  const out: TracedStatement[] = stmts.map((st) => blank(st, 'not-run'));
  const exec = async (sql: string) => {
    try {
      await db.exec(sql);
    } catch (e) {
      if (isDatabaseError(e)) throw e;
      throw new EngineLost(e instanceof Error ? e.message : String(e));
    }
  };

  // A file PostgreSQL's parser rejects: as one batch nothing runs at all, and the server names
  // the place. Sending the text is safe, because parsing happens before anything executes.
  const unparsable = stmts.find((s) => s.node === null);
  if (unparsable && options.confine) {
    // What cannot be parsed cannot be checked: on a server it is not sent at all.
    const pos = unparsable.range.start;
    out[unparsable.index] = {
      ...out[unparsable.index],
      status: 'failed',
      error: { sqlstate: '42601', message: unparsable.error?.message ?? 'syntax error', line: pos.line, column: pos.column, offset: unparsable.range.startOffset },
      note: 'Preflight\'s parser rejects this statement, so on a server the file is not sent (nothing of it ran)',
    };
    return { statements: out, outcome: 'failed' };
  }
  if (unparsable && (mode === 'batch' || stmts.length === 1)) {
    try {
      await exec(parsed.text);
      // The server accepted what our parser did not: it ran, unobserved.
      for (const o of out) Object.assign(o, { status: 'applied', note: 'ran as one batch without observation (Preflight\'s parser rejected the file, the server did not)' });
      return { statements: out, outcome: 'applied' };
    } catch (e) {
      if (e instanceof EngineLost) return lost(out, unparsable.index, e.message);
      const failure = databaseFailureOf(e);
      const error = traceErrorOf(failure, parsed, parsed.text, 0, unparsable.range.startOffset);
      const at = stmts.find((s) => error.offset >= s.range.startOffset && error.offset <= s.range.endOffset) ?? unparsable;
      out[at.index] = { ...out[at.index], status: 'failed', error, note: 'the server rejected the file before running any of it' };
      return { statements: out, outcome: 'failed' };
    }
  }

  const wrapWholeFile = mode === 'batch' && stmts.filter((s) => transactionKind(s.node) === null).length > 1;
  let inBlock = false; // a transaction block is open on the connection
  let blockStart = 0; // first statement of the open block
  let fileBlock = false; // the open block is the file's own BEGIN (split mode)
  let appliedSomething = false;
  const openBlock = async (from: number) => {
    await exec('BEGIN');
    inBlock = true;
    blockStart = from;
  };

  try {
    if (wrapWholeFile) await openBlock(0);
    for (let i = 0; i < stmts.length; i++) {
      const st = stmts[i];
      const tx = transactionKind(st.node);
      if (tx !== null && mode === 'isolated') {
        out[i] = blank(st, 'transaction-control', 'ignored: in the proof run every statement has its own transaction');
        continue;
      }
      if (tx !== null && mode === 'batch') {
        // Inside one implicit transaction, BEGIN only makes the block explicit; COMMIT and
        // ROLLBACK end it, and the statements after them start a new one.
        out[i] = blank(st, 'transaction-control');
        if (tx === 'begin') {
          if (!inBlock) await openBlock(i + 1);
        } else if (tx === 'commit' || tx === 'rollback') {
          if (inBlock) await exec(tx === 'commit' ? 'COMMIT' : 'ROLLBACK');
          if (tx === 'rollback') for (let k = blockStart; k < i; k++) if (out[k].status === 'applied') out[k].status = 'rolled-back';
          inBlock = false;
          if (wrapWholeFile && i < stmts.length - 1) await openBlock(i + 1);
        } else await exec(st.text);
        continue;
      }
      if (tx !== null) {
        // split: the file's own transaction control runs as written.
        out[i] = blank(st, 'transaction-control');
        await exec(st.text);
        if (tx === 'begin') {
          inBlock = true;
          fileBlock = true;
          blockStart = i + 1;
        } else if (tx === 'commit' || tx === 'rollback') {
          if (tx === 'rollback') for (let k = blockStart; k < i; k++) if (out[k].status === 'applied') out[k].status = 'rolled-back';
          inBlock = false;
          fileBlock = false;
        }
        continue;
      }

      const verdict = options.confine ? outsideVerdict(st.node, st.text) : null;
      if (verdict?.kind === 'outside') {
        out[i] = blank(st, 'skipped', `not sent to the server: ${verdict.reason}`);
        continue;
      }
      const ownBlock = !inBlock && !mustRunOutsideTransaction(st.node);
      const result = await runStatement(db, parsed, st, ownBlock ? 'own-block' : inBlock ? 'in-block' : 'bare', exec);
      out[i] = verdict ? { ...result.traced, uncertain: verdict.reason } : result.traced;
      if (result.traced.status === 'failed') {
        if (inBlock) {
          await exec('ROLLBACK');
          for (let k = blockStart; k < i; k++) if (out[k].status === 'applied') out[k].status = 'rolled-back';
          inBlock = false;
        }
        if (mode === 'isolated') continue;
        const anyApplied = out.some((o) => o.status === 'applied');
        return { statements: out, outcome: anyApplied ? 'partially-applied' : 'failed' };
      }
      appliedSomething = true;
    }
    if (inBlock && (wrapWholeFile || fileBlock)) {
      // An implicit batch commits at its end; an unterminated BEGIN block is committed too
      // (Prisma's connection ends; here we commit so the state matches a successful deploy).
      await exec('COMMIT');
      inBlock = false;
    }
  } catch (e) {
    const at = out.findIndex((o) => o.status === 'not-run');
    if (e instanceof EngineLost) return lost(out, at < 0 ? stmts.length - 1 : at, e.message);
    // A transaction-control statement of the file failed (e.g. COMMIT of an aborted block).
    const failure = databaseFailureOf(e);
    const k = Math.max(0, at);
    if (stmts[k]) out[k] = { ...out[k], status: 'failed', error: traceErrorOf(failure, parsed, stmts[k].text, stmts[k].range.startOffset, stmts[k].range.startOffset) };
    if (inBlock) await db.exec('ROLLBACK').catch(() => undefined);
  }
  const failed = out.some((o) => o.status === 'failed');
  const applied = out.some((o) => o.status === 'applied');
  void appliedSomething;
  return { statements: out, outcome: !failed ? 'applied' : applied ? 'partially-applied' : 'failed' };
}

function lost(out: TracedStatement[], at: number, message: string): MigrationRun {
  const i = Math.max(0, Math.min(at, out.length - 1));
  if (out[i]) {
    const pos = out[i].start;
    out[i] = {
      ...out[i],
      status: 'failed',
      error: { sqlstate: 'XX000', message: `the embedded database could not run this statement: ${message}`, line: pos.line, column: pos.column, offset: out[i].range.startOffset },
      note: 'not a PostgreSQL error: the embedded database (PGlite) stopped; the rest of the file was not run',
    };
  }
  return { statements: out, outcome: out.some((o) => o.status === 'applied') ? 'partially-applied' : 'failed', engineLost: message };
}

interface StatementResult {
  traced: TracedStatement;
}

/**
 * Runs one statement and reads what it did. `own-block`: wrapped in BEGIN ... COMMIT by the dry
 * run (equivalent to autocommit for everything that may run in a block); `in-block`: inside a
 * block that is already open; `bare`: alone in autocommit (locks cannot be read afterwards).
 */
async function runStatement(
  db: ShadowDatabase,
  parsed: ParsedMigration,
  st: SqlStatement,
  how: 'own-block' | 'in-block' | 'bare',
  exec: (sql: string) => Promise<void>,
): Promise<StatementResult> {
  const traced = blank(st, 'applied');
  if (isSetTransaction(st.node)) {
    // SET TRANSACTION must come before any query of its transaction: no observation queries
    // around it (it takes no lock and rewrites nothing).
    const t0 = performance.now();
    try {
      await exec(st.text);
    } catch (e) {
      if (e instanceof EngineLost) throw e;
      traced.status = 'failed';
      traced.error = traceErrorOf(databaseFailureOf(e), parsed, st.text, st.range.startOffset, st.range.startOffset);
    }
    traced.durationMs = round(performance.now() - t0);
    traced.locksObserved = traced.status === 'applied';
    return { traced };
  }
  const before = await snapshotRelations(db);
  if (how === 'own-block') await exec('BEGIN');
  const locksBefore = how === 'in-block' ? await heldRelationLocks(db) : [];
  const t0 = performance.now();
  try {
    await exec(st.text);
  } catch (e) {
    if (e instanceof EngineLost) throw e;
    traced.durationMs = round(performance.now() - t0);
    const failure = databaseFailureOf(e);
    if (how === 'own-block') {
      await exec('ROLLBACK');
      if (failure.sqlstate === '25001') {
        // Refused inside a block we added ourselves: run it as Prisma would, alone.
        return runStatement(db, parsed, st, 'bare', exec);
      }
    }
    traced.status = 'failed';
    traced.error = traceErrorOf(failure, parsed, st.text, st.range.startOffset, st.range.startOffset);
    traced.note = 'the locks of a failed statement end with its transaction and are not reported';
    return { traced };
  }
  traced.durationMs = round(performance.now() - t0);
  if (how !== 'bare') {
    const held = await heldRelationLocks(db);
    const mid = await snapshotRelations(db);
    traced.locks = strongestPerTable(acquiredLocks(locksBefore, held), before, mid);
    traced.heldLocks = strongestPerTable(held, before, mid);
    traced.locksObserved = true;
    traced.rewrites = rewrittenTables(before, mid);
    if (how === 'own-block') await exec('COMMIT');
  } else {
    traced.rewrites = rewrittenTables(before, await snapshotRelations(db));
    traced.note = 'runs outside a transaction block, so its locks end with it and cannot be read from pg_locks';
  }
  return { traced };
}
