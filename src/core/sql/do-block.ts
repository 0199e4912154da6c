/**
 * What a `DO` block runs, read with PL/pgSQL's own parser (libpg-query's `_wasm_parse_plpgsql`):
 * the static SQL statements of its body and the string literals it EXECUTEs, each parsed by
 * PostgreSQL's parser with its exact range in the migration file, and the dynamic SQL (EXECUTE of
 * a computed string) nobody can read ahead.
 *
 * PL/pgSQL keeps each statement's text as written in the body, with the body line it starts on,
 * so a statement is found again in the file by its text from that line on.
 */
import type { LineIndex } from '../text/line-index';
import type { SourceRange } from '../types';
import { byteToUtf16Mapper } from './byte-offsets';
import type { PgNode, SqlStatement } from './parse-migration';
import { parsePlpgsqlRaw, parseRaw } from './parser';

/**
 * When a statement of the body runs:
 * - `always`: whenever the block runs;
 * - `guarded`: only when a condition holds, and the block ends in the same state either way (the
 *   body of an IF without ELSE — the `IF NOT EXISTS (...) THEN ... END IF` guard — or of a
 *   BEGIN ... EXCEPTION block, whose failure is caught);
 * - `alternative`: in an ELSIF / ELSE / CASE branch, a loop body or an exception handler: whether
 *   and how often it runs depends on the data.
 */
export type DoBranch = 'always' | 'guarded' | 'alternative';

export interface DoBodyStatement {
  /** The statement's text as PostgreSQL runs it. */
  text: string;
  /** Where it is in the migration file: inside the body, or inside the EXECUTEd literal. */
  range: SourceRange;
  node: PgNode;
  type: string;
  branch: DoBranch;
  /** Run by EXECUTE of a string literal. */
  viaExecute: boolean;
  /** An expression PL/pgSQL evaluates as `SELECT <expr>` (an IF condition, an assignment): locks only. */
  expression: boolean;
}

export interface DoDynamicSql {
  /** The expression EXECUTE runs, in the file. */
  range: SourceRange;
  text: string;
}

export interface DoBlockReading {
  statements: DoBodyStatement[];
  /** EXECUTE of a computed string (and FOR ... IN EXECUTE, OPEN ... FOR EXECUTE, RETURN QUERY EXECUTE). */
  dynamic: DoDynamicSql[];
  /** Why the body could not be read at all: another language, or PL/pgSQL's parser rejects it. */
  unreadable?: string;
}

/** Offsets relative to the start of the DO statement's text: cached per text (histories are re-read often). */
export interface RelativeStatement extends Omit<DoBodyStatement, 'range'> {
  start: number;
  end: number;
}
export interface RelativeReading {
  statements: RelativeStatement[];
  dynamic: { start: number; end: number; text: string }[];
  unreadable?: string;
}

const cache = new Map<string, RelativeReading>();
const CACHE_LIMIT = 2000;

/** The reading with offsets into the DO statement's own text, or null for any other statement. */
export function readDoBlockText(node: PgNode | null, text: string): RelativeReading | null {
  if (!node || !node.DoStmt) return null;
  let rel = cache.get(text);
  if (!rel) {
    rel = readRelative(node.DoStmt as PgNode, text);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(text, rel);
  }
  return rel;
}

/** The reading of a DO statement, with ranges in the migration file, or null for any other statement. */
export function readDoBlock(st: Pick<SqlStatement, 'node' | 'text' | 'range'>, lines: LineIndex): DoBlockReading | null {
  const rel = readDoBlockText(st.node, st.text);
  if (!rel) return null;
  const base = st.range.startOffset;
  const range = (s: number, e: number) => lines.range(base + s, base + e);
  return {
    statements: rel.statements.map(({ start, end, ...rest }) => ({ ...rest, range: range(start, end) })),
    dynamic: rel.dynamic.map((d) => ({ text: d.text, range: range(d.start, d.end) })),
    ...(rel.unreadable ? { unreadable: rel.unreadable } : {}),
  };
}

function readRelative(s: PgNode, text: string): RelativeReading {
  const args: PgNode[] = (s.args ?? []).map((a: PgNode) => a.DefElem).filter(Boolean);
  const language = String(args.find((d) => d.defname === 'language')?.arg?.String?.sval ?? 'plpgsql').toLowerCase();
  const whole = { statements: [], dynamic: [{ start: 0, end: text.length, text }] };
  if (language !== 'plpgsql') return { ...whole, unreadable: `the DO block runs ${language} code, which Preflight does not read` };
  const body = String(args.find((d) => d.defname === 'as')?.arg?.String?.sval ?? '');
  const funcs = parsePlpgsqlRaw(text);
  if (!funcs) return { ...whole, unreadable: "PL/pgSQL's parser rejects the body of the DO block" };
  const bodyStart = bodyOffset(text, body);
  const out: RelativeReading = { statements: [], dynamic: [] };
  // Start of each body line (PL/pgSQL's lineno 1 is the line the body starts on).
  const lineStarts = [bodyStart];
  if (bodyStart >= 0) for (let i = bodyStart; i < bodyStart + body.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  let cursor = bodyStart < 0 ? 0 : bodyStart;
  /** Finds a text of the body from its line on (and after the previous find). */
  const locate = (what: string, lineno: unknown): number => {
    if (bodyStart < 0) return -1;
    const line = typeof lineno === 'number' && lineno >= 1 ? lineStarts[Math.min(lineno, lineStarts.length) - 1] : bodyStart;
    const end = bodyStart + body.length;
    for (const from of [Math.max(line, cursor), line, bodyStart]) {
      const at = text.indexOf(what, from);
      if (at >= 0 && at + what.length <= end) {
        cursor = at + what.length;
        return at;
      }
    }
    // PL/pgSQL blanks out the INTO clause of a SELECT (same length): match it as any text.
    if (/ {4,}/.test(what)) {
      const re = new RegExp(what.split(/( {4,})/).map((part, k) => (k % 2 ? `[\\s\\S]{${part.length}}` : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join(''), 'g');
      re.lastIndex = line;
      const m = re.exec(text);
      if (m && m.index + m[0].length <= end) {
        cursor = m.index + m[0].length;
        return m.index;
      }
    }
    return -1;
  };

  const addStatements = (sql: string, at: number, exact: boolean, branch: DoBranch, viaExecute: boolean, literalEnd: number) => {
    const parsed = parseRaw(sql);
    if (!parsed.ok) return false;
    const toUtf16 = byteToUtf16Mapper(sql);
    for (const raw of parsed.stmts) {
      const node = (raw.stmt ?? {}) as PgNode;
      const type = Object.keys(node)[0] ?? 'Unknown';
      const s0 = toUtf16(raw.stmt_location ?? 0);
      const s1 = raw.stmt_len ? toUtf16((raw.stmt_location ?? 0) + raw.stmt_len) : sql.length;
      const stmtText = sql.slice(s0, s1).trim();
      const lead = sql.slice(s0, s1).length - sql.slice(s0, s1).trimStart().length;
      // Not found in the body (PL/pgSQL drops an INTO clause from the text it keeps): the whole block.
      const start = at < 0 ? 0 : exact ? at + s0 + lead : at;
      const end = at < 0 ? text.length : exact ? start + stmtText.length : literalEnd;
      out.statements.push({ text: stmtText, start, end, node, type, branch, viaExecute, expression: false });
    }
    return true;
  };

  const expr = (e: PgNode | undefined): string | null => (typeof e?.PLpgSQL_expr?.query === 'string' ? e.PLpgSQL_expr.query : null);

  const visit = (v: unknown, branch: DoBranch, lineno: unknown): void => {
    if (Array.isArray(v)) {
      for (const x of v) visit(x, branch, lineno);
      return;
    }
    if (!v || typeof v !== 'object') return;
    const o = v as PgNode;
    const [kind] = Object.keys(o);
    const n = o[kind] as PgNode;
    if (!kind?.startsWith('PLpgSQL_') || !n || typeof n !== 'object') return;
    const line = n.lineno ?? lineno;
    switch (kind) {
      case 'PLpgSQL_function':
        return visit(n.action, branch, line);
      case 'PLpgSQL_stmt_block': {
        const guarded = n.exceptions ? worse(branch, 'guarded') : branch;
        visit(n.body, guarded, line);
        for (const e of n.exceptions?.PLpgSQL_exception_block?.exc_list ?? []) visit(e.PLpgSQL_exception?.action, worse(branch, 'alternative'), line);
        return;
      }
      case 'PLpgSQL_stmt_if': {
        condition(n.cond, branch, line);
        const alone = !n.elsif_list?.length && !n.else_body?.length;
        visit(n.then_body, worse(branch, alone ? 'guarded' : 'alternative'), line);
        for (const e of n.elsif_list ?? []) {
          condition(e.PLpgSQL_if_elsif?.cond, worse(branch, 'alternative'), e.PLpgSQL_if_elsif?.lineno ?? line);
          visit(e.PLpgSQL_if_elsif?.stmts, worse(branch, 'alternative'), e.PLpgSQL_if_elsif?.lineno ?? line);
        }
        visit(n.else_body, worse(branch, 'alternative'), line);
        return;
      }
      case 'PLpgSQL_stmt_case':
        condition(n.t_expr, branch, line);
        for (const w of n.case_when_list ?? []) {
          condition(w.PLpgSQL_case_when?.expr, worse(branch, 'alternative'), w.PLpgSQL_case_when?.lineno ?? line);
          visit(w.PLpgSQL_case_when?.stmts, worse(branch, 'alternative'), w.PLpgSQL_case_when?.lineno ?? line);
        }
        visit(n.else_stmts, worse(branch, 'alternative'), line);
        return;
      case 'PLpgSQL_stmt_execsql': {
        const q = expr(n.sqlstmt);
        if (q !== null) {
          const at = locate(q, line);
          addStatements(q, at, at >= 0, branch, false, at);
        }
        return;
      }
      case 'PLpgSQL_stmt_perform': {
        // PERFORM expr runs SELECT expr.
        const q = expr(n.expr);
        if (q !== null) expression(q.replace(/^SELECT /, ''), branch, line);
        return;
      }
      case 'PLpgSQL_stmt_assign': {
        // `target := expr` (or `target = expr`) runs SELECT expr.
        const q = expr(n.expr);
        const target = q === null ? null : ASSIGNMENT_TARGET.exec(q);
        if (q !== null && target) condition({ PLpgSQL_expr: { query: q.slice(target[0].length) } }, branch, line);
        return;
      }
      case 'PLpgSQL_stmt_raise':
        for (const p of n.params ?? []) condition(p, branch, line);
        for (const o of n.options ?? []) condition(o.PLpgSQL_raise_option?.expr, branch, line);
        return;
      case 'PLpgSQL_stmt_assert':
        condition(n.cond, branch, line);
        condition(n.message, branch, line);
        return;
      case 'PLpgSQL_stmt_exit':
      case 'PLpgSQL_stmt_return':
      case 'PLpgSQL_stmt_return_next':
        condition(n.cond ?? n.expr, branch, line);
        return;
      case 'PLpgSQL_stmt_dynexecute':
        return execute(n.query, branch, line);
      case 'PLpgSQL_stmt_dynfors':
        execute(n.query, branch, line);
        return visit(n.body, worse(branch, 'alternative'), line);
      case 'PLpgSQL_stmt_fors':
      case 'PLpgSQL_stmt_forc': {
        const q = expr(n.query);
        if (q !== null) {
          const at = locate(q, line);
          addStatements(q, at, at >= 0, branch, false, at);
        }
        return visit(n.body, worse(branch, 'alternative'), line);
      }
      case 'PLpgSQL_stmt_fori':
        condition(n.lower, branch, line);
        condition(n.upper, branch, line);
        return visit(n.body, worse(branch, 'alternative'), line);
      case 'PLpgSQL_stmt_foreach_a':
        condition(n.expr, branch, line);
        return visit(n.body, worse(branch, 'alternative'), line);
      case 'PLpgSQL_stmt_while':
        condition(n.cond, branch, line);
        return visit(n.body, worse(branch, 'alternative'), line);
      case 'PLpgSQL_stmt_loop':
        return visit(n.body, worse(branch, 'alternative'), line);
      case 'PLpgSQL_stmt_open':
        if (n.dynquery) return execute(n.dynquery, branch, line);
        if (expr(n.query) !== null) {
          const q = expr(n.query)!;
          const at = locate(q, line);
          addStatements(q, at, at >= 0, branch, false, at);
        }
        return;
      case 'PLpgSQL_stmt_return_query':
        if (n.dynquery) return execute(n.dynquery, branch, line);
        return;
      default:
        return;
    }
  };

  /** An expression PL/pgSQL evaluates as a query (`SELECT <expr>`): the tables it reads. */
  const condition = (e: PgNode | undefined, branch: DoBranch, line: unknown) => {
    const q = expr(e);
    if (q !== null && /\b(select|from)\b/i.test(q)) expression(q, branch, line);
  };
  const expression = (q: string, branch: DoBranch, line: unknown) => {
    const at = locate(q, line);
    const parsed = parseRaw(`SELECT ${q}`);
    if (!parsed.ok || parsed.stmts.length !== 1) return;
    const node = (parsed.stmts[0].stmt ?? {}) as PgNode;
    out.statements.push({ text: q, start: at < 0 ? 0 : at, end: at < 0 ? text.length : at + q.length, node, type: 'SelectStmt', branch, viaExecute: false, expression: true });
  };
  const execute = (e: PgNode | undefined, branch: DoBranch, line: unknown) => {
    const q = expr(e);
    if (q === null) return;
    const at = locate(q, line);
    const literal = stringLiteral(q);
    if (literal !== null) {
      // The statements' own ranges when the literal holds them verbatim ('...' without '' escapes,
      // or $tag$...$tag$); else the whole literal.
      const inner = at < 0 ? -1 : verbatimContentStart(q, literal);
      if (addStatements(literal, inner < 0 ? at : at + inner, inner >= 0, branch, true, at < 0 ? 0 : at + q.length)) return;
    }
    out.dynamic.push({ start: Math.max(0, at), end: at < 0 ? text.length : at + q.length, text: q });
  };

  // DECLARE defaults, evaluated when their block is entered: always for the outermost block (before
  // the body's first BEGIN), else only when the nested block runs.
  const firstBegin = bodyStart < 0 ? -1 : text.slice(bodyStart).search(/\bBEGIN\b/i);
  for (const f of Array.isArray(funcs) ? funcs : [funcs]) {
    for (const d of (f as PgNode)?.PLpgSQL_function?.datums ?? []) {
      const datum = Object.values(d as PgNode)[0] as PgNode | undefined;
      const q = expr(datum?.default_val);
      if (q === null || !/\b(select|from)\b/i.test(q)) continue;
      const at = locate(q, datum?.lineno);
      const outer = at >= 0 && firstBegin >= 0 && at < bodyStart + firstBegin;
      expression(q, outer ? 'always' : 'alternative', datum?.lineno);
    }
  }
  cursor = bodyStart < 0 ? 0 : bodyStart;
  visit(funcs, 'always', 1);
  return out;
}

/** The target of a PL/pgSQL assignment (`n :=`, `r.field =`, `a[1] :=`): PL/pgSQL runs the rest as `SELECT <rest>`. */
const ASSIGNMENT_TARGET = /^\s*(?:"(?:[^"]|"")*"|[A-Za-z_\u0080-\uffff][\w$\u0080-\uffff]*)(?:\s*\.\s*(?:"(?:[^"]|"")*"|[A-Za-z_\u0080-\uffff][\w$\u0080-\uffff]*)|\s*\[[^\]]*\])*\s*:?=\s*/;

const BRANCH_ORDER: DoBranch[] = ['always', 'guarded', 'alternative'];
function worse(a: DoBranch, b: DoBranch): DoBranch {
  return BRANCH_ORDER.indexOf(a) >= BRANCH_ORDER.indexOf(b) ? a : b;
}

/** Where the body starts in the DO statement's text (after its opening dollar quote), or -1. */
function bodyOffset(text: string, body: string): number {
  const re = /\$([A-Za-z_\u0080-\uffff][A-Za-z_0-9\u0080-\uffff]*)?\$/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const after = m.index + m[0].length;
    if (text.startsWith(body, after) && text.startsWith(m[0], after + body.length)) return after;
  }
  return -1;
}

/** The value of an expression that is one string literal ('...', E'...', $$...$$), else null. */
function stringLiteral(expr: string): string | null {
  if (!/^\s*(?:[Ee]?'|\$)/.test(expr)) return null;
  const parsed = parseRaw(`SELECT ${expr}`);
  if (!parsed.ok || parsed.stmts.length !== 1) return null;
  const target = parsed.stmts[0].stmt?.SelectStmt as PgNode | undefined;
  const list = target?.targetList;
  if (!Array.isArray(list) || list.length !== 1 || target?.fromClause) return null;
  const val = list[0]?.ResTarget?.val?.A_Const;
  return typeof val?.sval?.sval === 'string' ? val.sval.sval : val?.sval ? '' : null;
}

/** Offset of the literal's content inside its spelling when the content is written verbatim, else -1. */
function verbatimContentStart(expr: string, content: string): number {
  const lead = expr.length - expr.trimStart().length;
  const spelled = expr.trim();
  if (spelled.startsWith("'") && spelled.slice(1, -1) === content) return lead + 1;
  const dollar = /^\$([A-Za-z_\u0080-\uffff][A-Za-z_0-9\u0080-\uffff]*)?\$/.exec(spelled);
  if (dollar && spelled.slice(dollar[0].length, spelled.length - dollar[0].length) === content) return lead + dollar[0].length;
  return -1;
}
