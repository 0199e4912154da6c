/** The run-time settings a statement sets or resets (`SET`, `SET LOCAL`, `RESET`, `set_config(...)`). */
import { nodeBody, nodeType, stringConst, strings, walk, type PgNode } from '../../pg/ast';

export interface SettingChange {
  /** Lower-case setting name (`lock_timeout`, `role`, `session_authorization`); `*` for `RESET ALL`. */
  name: string;
  kind: 'set' | 'reset';
  local: boolean;
  /** The value as written, e.g. `'5s'` or `0`; null when not a constant. */
  value: string | null;
  /** How the statement reads, for messages: `SET LOCAL lock_timeout`, `set_config('lock_timeout', ..., false)`. */
  spelling: string;
  viaFunction: boolean;
}

const SESSION_CHARACTERISTICS: Record<string, string> = {
  transaction_isolation: 'default_transaction_isolation',
  transaction_read_only: 'default_transaction_read_only',
  transaction_deferrable: 'default_transaction_deferrable',
};

/** The settings a statement sets or resets: `SET`, `SET LOCAL`, `RESET`, `SELECT set_config(...)`. */
export function settingChangesOf(node: PgNode | null): SettingChange[] {
  const s = nodeBody(node);
  if (nodeType(node) === 'VariableSetStmt') {
    const name = String(s.name ?? '').toLowerCase();
    const local = s.is_local === true;
    const spelling = `SET ${local ? 'LOCAL ' : ''}${name}`;
    switch (s.kind) {
      case 'VAR_SET_VALUE':
      case 'VAR_SET_CURRENT':
        return [{ name, kind: 'set', local, value: valueText(s.args), spelling, viaFunction: false }];
      case 'VAR_SET_DEFAULT':
      case 'VAR_RESET':
        return [{ name, kind: 'reset', local, value: null, spelling: `RESET ${name}`, viaFunction: false }];
      case 'VAR_RESET_ALL':
        return [{ name: '*', kind: 'reset', local: false, value: null, spelling: 'RESET ALL', viaFunction: false }];
      case 'VAR_SET_MULTI':
        // SET TRANSACTION ends with its transaction; SET SESSION CHARACTERISTICS changes defaults.
        if (s.name !== 'SESSION CHARACTERISTICS') return [];
        return (s.args ?? [])
          .map((a: PgNode) => SESSION_CHARACTERISTICS[a.DefElem?.defname ?? ''])
          .filter(Boolean)
          .map((n: string) => ({ name: n, kind: 'set' as const, local, value: null, spelling: 'SET SESSION CHARACTERISTICS', viaFunction: false }));
      default:
        return [];
    }
  }
  if (nodeType(node) !== 'SelectStmt') return [];
  const out: SettingChange[] = [];
  walk(s.targetList, (key, value) => {
    if (key !== 'FuncCall') return;
    const fn = strings(value.funcname);
    if (fn[fn.length - 1]?.toLowerCase() !== 'set_config' || (value.args ?? []).length !== 3) return;
    const [n, v, isLocal] = value.args as PgNode[];
    const name = stringConst(n);
    const localText = stringConst(isLocal);
    if (name === null || localText === null) return;
    const local = localText === 'true';
    const lower = name.toLowerCase();
    out.push({ name: lower, kind: 'set', local, value: valueText([v]), spelling: `set_config('${lower}', ..., ${local})`, viaFunction: true });
  });
  return out;
}

function valueText(args: PgNode[] | undefined): string | null {
  if (!args?.length) return null;
  const parts = args.map((a) => {
    const c = a?.A_Const;
    if (!c) return null;
    if (c.sval !== undefined) return `'${String(c.sval.sval ?? '').replace(/'/g, "''")}'`;
    return stringConst(a);
  });
  return parts.includes(null) ? null : parts.join(', ');
}
