/**
 * Small, typed readers over libpg-query's JSON AST (protobuf JSON: zero values are omitted, so
 * every reader has a default).
 */
import type { PgNode } from '../sql/parse-migration';

export type { PgNode };

/** `{ String: { sval } }` list → plain strings. */
export function strings(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  return list.map((item) => (item as PgNode)?.String?.sval ?? '').filter((s) => s !== '');
}

/** The only key of a node: `{ IndexStmt: {...} }` → `IndexStmt`. (Loops, not Object.keys: called per statement by every rule.) */
export function nodeType(node: PgNode | null | undefined): string {
  if (node) for (const k in node) return k;
  return '';
}

export function nodeBody(node: PgNode | null | undefined): PgNode {
  if (node) for (const k in node) return (node[k] as PgNode) ?? {};
  return {};
}

/** An integer constant (`A_Const.ival`), 0 when omitted. */
export function intConst(node: PgNode | undefined): number | null {
  const c = node?.A_Const;
  if (!c) return null;
  if (c.ival !== undefined) return c.ival.ival ?? 0;
  return null;
}

export function stringConst(node: PgNode | undefined): string | null {
  const c = node?.A_Const;
  if (!c) return null;
  if (c.sval !== undefined) return c.sval.sval ?? '';
  if (c.ival !== undefined) return String(c.ival.ival ?? 0);
  if (c.fval !== undefined) return String(c.fval.fval ?? '0');
  if (c.boolval !== undefined) return String(c.boolval.boolval ?? false);
  return null;
}

/**
 * Keys of nodes that never hold a relation name or a query (constants, column references, type
 * names): walks looking for tables skip them; an INSERT ... VALUES carries thousands of them.
 */
export const SCALAR_NODES: ReadonlySet<string> = new Set(['A_Const', 'ColumnRef', 'ParamRef', 'TypeName', 'typeName', 'String', 'Integer', 'Float', 'Boolean', 'A_Star']);

/** Visits every object in a node tree (depth first). */
export function walk(node: unknown, visit: (key: string, value: PgNode) => void): void {
  if (Array.isArray(node)) {
    for (const item of node) walk(item, visit);
    return;
  }
  if (node && typeof node === 'object') {
    for (const k in node as PgNode) {
      const v = (node as PgNode)[k];
      if (v && typeof v === 'object') {
        if (!Array.isArray(v)) visit(k, v as PgNode);
        walk(v, visit);
      }
    }
  }
}

/** Function names called anywhere in an expression, lower-cased, schema-less. */
export function calledFunctions(expr: unknown): string[] {
  const out: string[] = [];
  walk(expr, (key, value) => {
    if (key === 'FuncCall') {
      const names = strings(value.funcname);
      if (names.length) out.push(names[names.length - 1].toLowerCase());
    }
    if (key === 'SQLValueFunction') out.push(String(value.op ?? '').toLowerCase());
  });
  return out;
}

export type TransactionKind = 'begin' | 'commit' | 'rollback' | 'savepoint' | 'two-phase' | 'other';

/** What a `TransactionStmt` does to the transaction block; null for any other statement. */
export function transactionKindOf(node: PgNode | null | undefined): TransactionKind | null {
  if (nodeType(node) !== 'TransactionStmt') return null;
  switch (String(nodeBody(node).kind)) {
    case 'TRANS_STMT_BEGIN':
    case 'TRANS_STMT_START':
      return 'begin';
    case 'TRANS_STMT_COMMIT':
      return 'commit';
    case 'TRANS_STMT_ROLLBACK':
      return 'rollback';
    case 'TRANS_STMT_SAVEPOINT':
    case 'TRANS_STMT_RELEASE':
    case 'TRANS_STMT_ROLLBACK_TO':
      return 'savepoint';
    case 'TRANS_STMT_PREPARE':
    case 'TRANS_STMT_COMMIT_PREPARED':
    case 'TRANS_STMT_ROLLBACK_PREPARED':
      return 'two-phase';
    default:
      return 'other';
  }
}
