/**
 * Statements that act outside the database they run in: on the cluster's shared objects (databases,
 * roles and their memberships, tablespaces, server settings), on the server's files, or on other
 * servers. A dry run on a PostgreSQL server never sends them (see docs/dry-run.md, "What a dry run
 * on a server never does"). Read from libpg-query's AST; procedural bodies from PL/pgSQL's parser.
 */
import { nodeBody, nodeType, type PgNode } from '../pg/ast';
import { parsePlpgsqlRaw, parseRaw } from '../sql/parser';

export type OutsideVerdict =
  /** Acts outside the temporary database for sure: never sent to the server. */
  | { kind: 'outside'; reason: string }
  /** Runs procedural code that might (dynamic SQL, another language, or a function that would when called). */
  | { kind: 'uncertain'; reason: string }
  | null;

const SHARED_OBJECTS: Record<string, string> = {
  OBJECT_DATABASE: 'a database',
  OBJECT_ROLE: 'a role',
  OBJECT_TABLESPACE: 'a tablespace',
  OBJECT_PARAMETER_ACL: 'a server parameter',
  OBJECT_SUBSCRIPTION: 'a subscription',
};

/** Why a parsed statement acts outside its database, or null when it stays inside. */
export function outsideReason(node: PgNode | null): string | null {
  const s = nodeBody(node);
  switch (nodeType(node)) {
    case 'CreatedbStmt':
      return 'CREATE DATABASE creates another database on the server';
    case 'DropdbStmt':
      return 'DROP DATABASE drops another database of the server';
    case 'AlterDatabaseStmt':
    case 'AlterDatabaseSetStmt':
    case 'AlterDatabaseRefreshCollStmt':
      return 'ALTER DATABASE changes a database of the server';
    case 'CreateRoleStmt':
      return 'CREATE ROLE creates a role of the whole cluster';
    case 'AlterRoleStmt':
    case 'AlterRoleSetStmt':
      return 'ALTER ROLE changes a role of the whole cluster (in every database)';
    case 'DropRoleStmt':
      return 'DROP ROLE drops a role of the whole cluster';
    case 'GrantRoleStmt':
      return `${s.is_grant ? 'GRANT' : 'REVOKE'} of role membership changes roles of the whole cluster`;
    case 'AlterSystemStmt':
      return 'ALTER SYSTEM changes the server\'s configuration';
    case 'CreateTableSpaceStmt':
    case 'DropTableSpaceStmt':
    case 'AlterTableSpaceOptionsStmt':
      return 'tablespaces belong to the whole cluster (and to the server\'s file system)';
    case 'DropOwnedStmt':
      return 'DROP OWNED also revokes privileges on databases and tablespaces, which the whole cluster shares';
    case 'ReassignOwnedStmt':
      return 'REASSIGN OWNED also changes the owner of databases and tablespaces, which the whole cluster shares';
    case 'RenameStmt':
    case 'AlterOwnerStmt':
    case 'CommentStmt':
    case 'SecLabelStmt': {
      const kind = s.renameType ?? s.objectType ?? s.objtype;
      const what = SHARED_OBJECTS[String(kind)];
      return what ? `it changes ${what}, which the whole cluster shares` : null;
    }
    case 'GrantStmt': {
      const what = SHARED_OBJECTS[String(s.objtype)];
      return what ? `${s.is_grant ? 'GRANT' : 'REVOKE'} on ${what} changes the whole cluster` : null;
    }
    case 'VariableSetStmt': {
      const name = String(s.name ?? '').toLowerCase();
      return name === 'role' || name === 'session_authorization' ? 'it changes the role the dry run runs as' : null;
    }
    case 'CopyStmt':
      return s.filename ? (s.is_program ? 'COPY ... PROGRAM runs a program on the server' : 'COPY with a file name reads or writes the server\'s files') : null;
    case 'CreateSubscriptionStmt':
    case 'AlterSubscriptionStmt':
    case 'DropSubscriptionStmt':
      return 'subscriptions connect to another server';
    case 'ImportForeignSchemaStmt':
      return 'IMPORT FOREIGN SCHEMA connects to another server';
    default:
      return null;
  }
}

function option(list: unknown, name: string): PgNode | undefined {
  return (Array.isArray(list) ? list : []).map((o: PgNode) => o.DefElem).find((d: PgNode | undefined) => d?.defname === name);
}

/** First statement of a SQL text that acts outside its database. */
function outsideIn(sql: string): string | null {
  const raw = parseRaw(sql);
  if (!raw.ok) return null;
  for (const r of raw.stmts) {
    const reason = outsideReason((r.stmt ?? null) as PgNode | null);
    if (reason) return reason;
  }
  return null;
}

interface BodyReading {
  /** A statement of the body acts outside the database. */
  outside: string | null;
  /** The body runs SQL that cannot be read ahead (EXECUTE of a string). */
  dynamic: boolean;
}

/** Walks a PL/pgSQL function tree for the SQL it runs. */
function readPlpgsql(funcs: Record<string, unknown>[]): BodyReading {
  const out: BodyReading = { outside: null, dynamic: false };
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) {
      for (const x of v) visit(x);
      return;
    }
    if (!v || typeof v !== 'object') return;
    const o = v as Record<string, unknown>;
    if (o.PLpgSQL_stmt_dynexecute || o.PLpgSQL_stmt_dynfors || (o.PLpgSQL_stmt_open as PgNode | undefined)?.dynquery) out.dynamic = true;
    const exec = o.PLpgSQL_stmt_execsql as PgNode | undefined;
    const query = exec?.sqlstmt?.PLpgSQL_expr?.query;
    if (typeof query === 'string' && !out.outside) out.outside = outsideIn(query);
    for (const k in o) visit(o[k]);
  };
  visit(funcs);
  return out;
}

/**
 * A DO block or a function: whether its body acts outside the database. A DO block whose body
 * surely does is `outside` (it runs now); one that runs dynamic SQL, or is in a language other
 * than SQL and PL/pgSQL, is `uncertain`. A function runs only when called: its body makes it
 * `uncertain`, never `outside`.
 */
export function proceduralVerdict(node: PgNode | null, text: string): OutsideVerdict {
  const type = nodeType(node);
  if (type !== 'DoStmt' && type !== 'CreateFunctionStmt') return null;
  const s = nodeBody(node);
  const opts = type === 'DoStmt' ? s.args : s.options;
  const language = String(option(opts, 'language')?.arg?.String?.sval ?? (type === 'DoStmt' ? 'plpgsql' : 'sql')).toLowerCase();
  const what = type === 'DoStmt' ? 'this DO block' : 'this function, when called,';
  let reading: BodyReading;
  if (language === 'plpgsql') {
    const funcs = parsePlpgsqlRaw(text);
    if (!funcs) return { kind: 'uncertain', reason: `PL/pgSQL's parser rejects the body, so Preflight cannot tell whether ${what} acts outside the temporary database` };
    reading = readPlpgsql(funcs);
  } else if (language === 'sql') {
    const body = option(opts, 'as')?.arg?.List?.items?.[0]?.String?.sval;
    const atomic = s.sql_body ? JSON.stringify(s.sql_body) : '';
    const outside = typeof body === 'string' ? outsideIn(body) : null;
    reading = { outside: outside ?? (atomic && /"(CreateRoleStmt|AlterRoleStmt|AlterRoleSetStmt|DropRoleStmt|GrantRoleStmt)"/.test(atomic) ? 'it changes roles of the whole cluster' : null), dynamic: false };
  } else {
    return { kind: 'uncertain', reason: `${what} runs ${language} code, which Preflight does not read: it may act outside the temporary database` };
  }
  if (reading.outside) return type === 'DoStmt' ? { kind: 'outside', reason: `its body runs a statement that acts outside the database: ${reading.outside}` } : { kind: 'uncertain', reason: `${what} would run a statement that acts outside the database: ${reading.outside}` };
  if (reading.dynamic) return { kind: 'uncertain', reason: `${what} runs dynamic SQL (EXECUTE), which may act outside the temporary database` };
  return null;
}

/** The verdict on one statement of a migration: `outside`, `uncertain`, or null (stays inside). */
export function outsideVerdict(node: PgNode | null, text: string): OutsideVerdict {
  const reason = outsideReason(node);
  if (reason) return { kind: 'outside', reason };
  return proceduralVerdict(node, text);
}
