/**
 * How the project's Prisma version sends a migration.sql to PostgreSQL (DESIGN.md, "Prisma
 * execution model"): up to 7.3.x the whole file is one simple-query batch (one implicit
 * transaction); from 7.4.0 it is split by sqlparser-rs 0.61 and each statement runs on its own,
 * unless sqlparser cannot parse some statement, in which case the whole file is one batch again.
 */
import { nodeBody, nodeType, type PgNode } from '../pg/ast';
import type { SqlStatement } from '../sql/parse-migration';
import type { ExecutionMode } from '../types';

/** Compares `major.minor.patch[-pre]` versions numerically; a pre-release sorts before its release. */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const [core, pre] = v.trim().replace(/^v/, '').split('-', 2);
    return { parts: core.split('.').map((p) => parseInt(p, 10) || 0), pre: pre ?? null };
  };
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < 3; i++) {
    const d = (x.parts[i] ?? 0) - (y.parts[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  if (x.pre === y.pre) return 0;
  if (x.pre === null) return 1;
  if (y.pre === null) return -1;
  return x.pre < y.pre ? -1 : 1;
}

export const SPLIT_SINCE = '7.4.0';
export const MIGRATE_DEV_FIXED_IN = '7.8.0';

/** Why sqlparser-rs 0.61 rejects a statement, or null when it parses it. */
export function sqlparserRejects(node: PgNode | null): string | null {
  if (!node) return 'it does not parse';
  const s = nodeBody(node);
  switch (nodeType(node)) {
    case 'DropStmt':
      return s.removeType === 'OBJECT_INDEX' && s.concurrent ? 'DROP INDEX CONCURRENTLY' : null;
    case 'DoStmt':
      return 'DO $$ ... $$';
    case 'ReindexStmt':
      return 'REINDEX';
    case 'VacuumStmt':
      return (s.rels ?? []).length ? 'VACUUM <table>' : null;
    case 'RefreshMatViewStmt':
      return 'REFRESH MATERIALIZED VIEW';
    case 'LockStmt':
      return 'LOCK TABLE';
    case 'AlterSeqStmt':
      return (s.options ?? []).some((o: PgNode) => o.DefElem?.defname === 'owned_by') ? 'ALTER SEQUENCE ... OWNED BY' : null;
    case 'AlterDatabaseStmt':
    case 'AlterDatabaseSetStmt':
    case 'AlterDatabaseRefreshCollStmt':
      return 'ALTER DATABASE';
    case 'IndexStmt':
      if (s.relation && s.relation.inh === false) return 'CREATE INDEX ... ON ONLY';
      if (s.tableSpace) return 'CREATE INDEX ... TABLESPACE';
      return null;
    case 'AlterTableStmt':
      for (const item of s.cmds ?? []) {
        const cmd = item.AlterTableCmd ?? {};
        if (cmd.subtype === 'AT_AttachPartition') return 'ATTACH PARTITION';
        if (cmd.subtype === 'AT_AddConstraint' && cmd.def?.Constraint?.indexname) return 'ADD CONSTRAINT ... USING INDEX';
      }
      return null;
    default:
      return null;
  }
}

export function executionModeOf(statements: SqlStatement[], prismaVersion: string | null): ExecutionMode {
  if (prismaVersion === null) {
    return { mode: 'batch', reason: 'the Prisma version is unknown, so Preflight assumes the whole file runs as one batch (as Prisma ≤ 7.3 does)' };
  }
  if (compareVersions(prismaVersion, SPLIT_SINCE) < 0) {
    return { mode: 'batch', reason: `Prisma ${prismaVersion} sends the whole file as one batch: one implicit transaction` };
  }
  if (statements.length <= 1) {
    return { mode: 'split', reason: `Prisma ${prismaVersion} runs each statement on its own (the file has one statement)` };
  }
  const rejected: number[] = [];
  const why: string[] = [];
  statements.forEach((st, i) => {
    const r = sqlparserRejects(st.node);
    if (r) {
      rejected.push(i);
      if (!why.includes(r)) why.push(r);
    }
  });
  if (rejected.length) {
    return {
      mode: 'batch',
      reason: `Prisma ${prismaVersion} cannot split this file (its SQL splitter rejects ${why.join(', ')}), so it falls back to sending the whole file as one batch`,
      unsplittableStatements: rejected,
    };
  }
  return { mode: 'split', reason: `Prisma ${prismaVersion} splits the file and runs each statement on its own, outside a transaction` };
}
