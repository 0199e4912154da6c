/** The sub-commands of an `ALTER TABLE` statement, each with the table it alters. */
import { nodeBody, nodeType, type PgNode } from '../pg/ast';
import { keyOf, rangeVarName } from '../pg/names';
import type { SqlStatement } from '../sql/parse-migration';

export function alterCmds(st: SqlStatement): { table: string; cmd: PgNode }[] {
  if (nodeType(st.node) !== 'AlterTableStmt') return [];
  const s = nodeBody(st.node);
  if (s.objtype && s.objtype !== 'OBJECT_TABLE') return [];
  const table = keyOf(rangeVarName(s.relation));
  return (s.cmds ?? []).map((c: PgNode) => ({ table, cmd: c.AlterTableCmd ?? {} }));
}
