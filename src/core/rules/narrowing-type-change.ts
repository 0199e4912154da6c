import { displayTable, quoteAlways } from '../pg/names';
import { columnTypeOf, isNarrowing, type ColumnType } from '../pg/types';
import { alterTableCommands, isExistingTable } from './helpers';
import { defineRule } from './rule';
import { columnCommandRange, isOriginalColumn } from './support/columns';

export default defineRule({
  meta: {
    id: 'narrowing-type-change',
    category: 'data-loss',
    defaultSeverity: 'error',
    fixAvailability: 'never',
    insideDoBlocks: true,
    summary: '`ALTER COLUMN TYPE` that can fail on existing rows or lose data',
    docs: {
      whatItDoes: 'Flags `ALTER TABLE ... ALTER COLUMN ... [SET DATA] TYPE` on a column that existed before this migration when the new type cannot hold every value of the old one: a shorter `varchar`/`char`, a smaller `numeric` precision or scale, a smaller integer, a number to an integer, a float to a smaller float, a timestamp to a date or to fewer fractional digits, text or JSON to any non-text type, an array to a scalar. The message says what happens to the values. Prisma\'s enum recreation (`TYPE "E_new" USING ...`) is left to `drop-enum-value`.',
      whyIsThisBad: 'A value that does not fit makes the whole statement fail (`value too long`, `numeric field overflow`, `invalid input syntax`) and the deploy stops with P3018 — on production, where the data differs from development. Values that do fit can still lose information silently: decimals are rounded, times of day dropped, floats rounded to 6 or 15 significant digits. Prisma generates these changes as `ALTER COLUMN "c" SET DATA TYPE <T>` whenever a field\'s native type shrinks (e.g. `Decimal` from the default `DECIMAL(65,30)` to `@db.Decimal(10, 2)`).',
      setup: 'CREATE TABLE "Product" ("id" SERIAL NOT NULL, "sku" VARCHAR(64) NOT NULL, "price" DECIMAL(65,30) NOT NULL, CONSTRAINT "Product_pkey" PRIMARY KEY ("id"));',
      example: 'ALTER TABLE "Product" ALTER COLUMN "sku" SET DATA TYPE VARCHAR(16),\nALTER COLUMN "price" SET DATA TYPE DECIMAL(10,2);',
      useInstead: '-- Check the data first; each query must return 0 before the change is safe:\nSELECT count(*) FROM "Product" WHERE length("sku") > 16;\nSELECT count(*) FROM "Product" WHERE abs("price") >= 1e8 OR "price" <> round("price", 2);\n-- Or keep the wider type and validate new values in the application, or add a new column,\n-- backfill it, and switch the code over (expand / contract).',
      fixSafety: 'No fix: what should happen to values that do not fit is a decision.',
      references: ['https://www.postgresql.org/docs/current/sql-altertable.html#SQL-ALTERTABLE-DESC-SET-DATA-TYPE', 'https://www.prisma.io/docs/orm/reference/prisma-schema-reference#postgresql-native-type-mappings'],
    },
  },
  checkMigration(ctx) {
    for (const st of ctx.statements) {
      for (const { table, cmd } of alterTableCommands(st)) {
        if (cmd.subtype !== 'AT_AlterColumnType') continue;
        const column: string = cmd.name;
        if (!isExistingTable(ctx, st, table) || !isOriginalColumn(ctx, st, table, column)) continue;
        const from = st.catalog.table(table)?.columns.get(column)?.type;
        if (!from) continue;
        const to = columnTypeOf(cmd.def?.ColumnDef?.typeName);
        if (!isNarrowing(from, to)) continue;
        // An array turned into one value needs a USING expression; when there is one, it says how.
        if (from.array && !to.array && cmd.def?.ColumnDef?.raw_default) continue;
        const c = quoteAlways(column);
        const t = displayTable(table);
        const { consequence, check } = consequenceOf(from, to, c, t);
        ctx.report({
          statement: st.index,
          range: columnCommandRange(ctx, st, 'ALTER\\s+(?:COLUMN\\s+)?', column),
          message: `Changing ${c} of ${t} from ${from.display} to ${to.display} ${consequence}.`,
          help: check
            ? `Check the data first: \`${check}\` must return 0. Otherwise keep the wider type, or add a new column, backfill it and switch the code over.`
            : 'Check that every existing value converts, or keep the old type; for a safe change add a new column, backfill it and switch the code over.',
        });
      }
    }
  },
});

/** What the change does to existing values, in words, and a query that counts the rows it fails on. */
function consequenceOf(from: ColumnType, to: ColumnType, c: string, t: string): { consequence: string; check?: string } {
  const f = from.base;
  const n = to.base;
  const ints: Record<string, string> = { int2: 'smallint', int4: 'integer', int8: 'bigint' };
  const count = (where: string) => `SELECT count(*) FROM ${t} WHERE ${where}`;
  if (from.array && !to.array) return { consequence: 'fails: PostgreSQL cannot turn an array into a single value without a USING expression that says how' };
  if ((n === 'varchar' || n === 'bpchar') && ['varchar', 'bpchar', 'text', 'citext'].includes(f)) {
    const length = to.mods[0] ?? 1;
    return {
      consequence: `fails if any value is longer than ${length} character${length === 1 ? '' : 's'}`,
      check: from.array ? undefined : count(`length(${c}) > ${length}`),
    };
  }
  if (n === 'numeric' && to.mods.length > 0) {
    const [p, s = 0] = to.mods;
    const digits: Record<string, number> = { int2: 5, int4: 10, int8: 19 };
    const constrained = f === 'numeric' && from.mods.length > 0;
    const fromIntegerDigits = constrained ? from.mods[0] - (from.mods[1] ?? 0) : (digits[f] ?? Infinity);
    const fromScale = constrained ? (from.mods[1] ?? 0) : ints[f] ? 0 : Infinity;
    const parts: string[] = [];
    const conditions: string[] = [];
    if (p - s < fromIntegerDigits) {
      parts.push(`fails if any value has more than ${p - s} digit${p - s === 1 ? '' : 's'} before the decimal point`);
      conditions.push(`abs(${c}) >= 1e${p - s}`);
    }
    if (s < fromScale) {
      parts.push(`rounds every value to ${s} decimal place${s === 1 ? '' : 's'}`);
      conditions.push(`${c} <> round(${c}, ${s})`);
    }
    return { consequence: parts.join(', and ') || 'can fail on existing values', check: from.array || !conditions.length ? undefined : count(conditions.join(' OR ')) };
  }
  if (ints[n]) {
    const range = { int2: '±32767', int4: '±2147483647', int8: '±9.2e18' }[n as 'int2' | 'int4' | 'int8'];
    const rounds = f === 'numeric' || f === 'float4' || f === 'float8' ? 'rounds fractional values and ' : '';
    if (ints[f] || rounds) return { consequence: `${rounds}fails if any value is outside the range of ${ints[n]} (${range})` };
  }
  if ((n === 'float4' || n === 'float8') && (f === 'numeric' || f === 'float8')) {
    return { consequence: `rounds every value to about ${n === 'float4' ? 6 : 15} significant digits (and loses exact decimal arithmetic)` };
  }
  if (n === 'date') return { consequence: 'drops the time of day from every value' };
  if (f === n && to.mods.length) return { consequence: `rounds every value to ${to.mods[0]} fractional digit${to.mods[0] === 1 ? '' : 's'} of a second` };
  if (['text', 'varchar', 'bpchar', 'citext', 'json', 'jsonb'].includes(f)) return { consequence: `fails if any value is not a valid ${to.display}` };
  return { consequence: 'can fail on existing values or lose information' };
}
