import { strings, type PgNode } from '../pg/ast';
import { displayTable, quoteAlways } from '../pg/names';
import { columnTypeOf, rebuildsIndexes, typeChangeKind } from '../pg/types';
import { alterTableCommands, isExistingTable, notInHistoryNote, tableProvenance } from './helpers';
import { defineRule } from './rule';
import { columnCommandRange } from './support/columns';

export default defineRule({
  meta: {
    id: 'rewrite-column-type',
    category: 'locking',
    defaultSeverity: 'warning',
    fixAvailability: 'never',
    insideDoBlocks: true,
    summary: '`ALTER COLUMN TYPE` that rewrites an existing table',
    docs: {
      whatItDoes: 'Flags `ALTER TABLE ... ALTER COLUMN ... [SET DATA] TYPE` on a table that existed before this migration when PostgreSQL must rewrite the table: the new type is not binary-coercible from the old one (e.g. `integer` to `bigint`, `text` to `varchar(n)`, `timestamp(3)` to `timestamptz(3)`, `DECIMAL(65,30)` to `DOUBLE PRECISION`, an enum to Prisma\'s recreated `"E_new"`), or a `USING` expression computes new values. Also flags `text` ↔ `citext`, which keeps the table but rebuilds every index on the column. Not flagged: `varchar(n)` to `text` or to a larger `n`, a larger `numeric` precision at the same scale, more fractional digits on a timestamp. One finding per statement: all its columns share one rewrite. On a table no migration creates, the column\'s current type is not known: a `USING` expression that computes values is still flagged (it rewrites whatever the old type), and any other type change gets a note (severity info) saying Preflight cannot tell whether it rewrites the table or can fail on existing values. `narrowing-type-change` needs the old type too and says nothing then.',
      whyIsThisBad: 'The rewrite copies every row into a new file and rebuilds every index of the table while holding an ACCESS EXCLUSIVE lock, which blocks all reads and writes of the table until it finishes: minutes on a large table, during which every query on it queues (and, with no `lock_timeout`, every query behind those). Prisma generates these changes as `ALTER COLUMN "c" SET DATA TYPE <T>` when a field\'s type or native type changes, and as `TYPE "E_new" USING ...` for each column of an enum that loses a value.',
      setup: 'CREATE TABLE "Event" ("id" SERIAL NOT NULL, "payloadSize" INTEGER NOT NULL, CONSTRAINT "Event_pkey" PRIMARY KEY ("id"));',
      example: 'ALTER TABLE "Event" ALTER COLUMN "payloadSize" SET DATA TYPE BIGINT;',
      useInstead: '-- Expand / contract: add the new column now, backfill it in batches outside the migration,\n-- switch the code over (@map in schema.prisma), then drop the old column in a later release.\nALTER TABLE "Event" ADD COLUMN "payloadSize_big" BIGINT;',
      fixSafety: 'No fix: avoiding the rewrite takes several releases (new column, backfill, switch, drop).',
      references: [
        'https://www.postgresql.org/docs/current/sql-altertable.html#SQL-ALTERTABLE-NOTES',
        'https://www.postgresql.org/docs/current/explicit-locking.html#LOCKING-TABLES',
      ],
    },
  },
  checkMigration(ctx) {
    for (const st of ctx.statements) {
      const byTable = new Map<string, { column: string; from: string; to: string; enumRecreation: boolean }[]>();
      const rebuilds: { table: string; column: string; from: string; to: string; indexes: string[] }[] = [];
      const unknown: { table: string; column: string; to: string }[] = [];
      for (const { table, cmd } of alterTableCommands(st)) {
        if (cmd.subtype !== 'AT_AlterColumnType' || !isExistingTable(ctx, st, table)) continue;
        const column: string = cmd.name;
        const from = st.catalog.table(table)?.columns.get(column)?.type;
        const to = columnTypeOf(cmd.def?.ColumnDef?.typeName);
        const using: PgNode | undefined = cmd.def?.ColumnDef?.raw_default;
        if (!from) {
          if (tableProvenance(ctx, st, table) === 'history') continue; // no such column: the statement fails
          // A USING expression that computes values rewrites whatever the old type; otherwise the
          // answer needs the column's current type, a fact nobody knows: say so, do not pass in silence.
          if (using && !isColumnItself(using, column)) pushTo(byTable, table, { column, from: 'its current type', to: to.display, enumRecreation: to.user && to.base.endsWith('_new') });
          else unknown.push({ table, column, to: to.display });
          continue;
        }
        const kind = typeChangeKind(from, to);
        if (kind === 'same' && !using) continue;
        if (kind === 'rewrite' || (using && !isColumnItself(using, column))) {
          pushTo(byTable, table, { column, from: from.display, to: to.display, enumRecreation: from.user && to.user && to.base.endsWith('_new') });
        } else if (rebuildsIndexes(from, to)) {
          const indexes = st.catalog.indexesOf(table).filter((ix) => ix.columns.includes(column)).map((ix) => quoteAlways(ix.name));
          if (indexes.length) rebuilds.push({ table, column, from: from.display, to: to.display, indexes });
        }
      }
      for (const [table, changes] of byTable) {
        const first = changes[0];
        const what = changes.map((c) => `${quoteAlways(c.column)} from ${c.from} to ${c.to}`).join(', ');
        const enumOnly = changes.every((c) => c.enumRecreation);
        ctx.report({
          statement: st.index,
          range: columnCommandRange(ctx, st, 'ALTER\\s+(?:COLUMN\\s+)?', first.column),
          message: `Changing ${what} rewrites ${displayTable(table)} and rebuilds its indexes under an ACCESS EXCLUSIVE lock, which blocks all reads and writes of the table until the rewrite finishes.${notInHistoryNote(ctx, st, table)}`,
          help: enumOnly
            ? 'Removing an enum value rewrites every table that uses the enum; on a large table, keep the unused value in the database instead (PostgreSQL cannot drop a value in place).'
            : 'On a large table, add a new column of the new type, backfill it in batches, switch the code over (@map), then drop the old column in a later release.',
        });
      }
      for (const u of unknown) {
        const t = displayTable(u.table);
        ctx.report({
          statement: st.index,
          range: columnCommandRange(ctx, st, 'ALTER\\s+(?:COLUMN\\s+)?', u.column),
          message: `Cannot tell whether changing ${quoteAlways(u.column)} of ${t} to ${u.to} rewrites the table or can fail on existing values: the column's current type is not known from the migrations.${notInHistoryNote(ctx, st, u.table) || ` Preflight could not follow every earlier change to ${t}.`} The change holds an ACCESS EXCLUSIVE lock on ${t} (blocks all reads and writes) for as long as it runs.`,
          help: `Look up the current type (\\d ${t} in psql): a change that is not binary-coercible (e.g. integer to bigint, text to varchar(n)) rewrites the table and its indexes; one that narrows the type fails on values that do not fit.`,
          cannotTell: true,
        });
      }
      for (const r of rebuilds) {
        ctx.report({
          statement: st.index,
          range: columnCommandRange(ctx, st, 'ALTER\\s+(?:COLUMN\\s+)?', r.column),
          message: `Changing ${quoteAlways(r.column)} of ${displayTable(r.table)} from ${r.from} to ${r.to} keeps the table but rebuilds ${r.indexes.length > 1 ? 'the indexes' : 'the index'} ${r.indexes.join(', ')} under an ACCESS EXCLUSIVE lock, which blocks all reads and writes of the table until the build finishes.`,
          help: 'On a large table, add a new column of the new type instead, backfill it, build its index CONCURRENTLY and switch the code over; or run this in a maintenance window.',
        });
      }
    }
  },
});

/** `USING "c"` (or `USING ("c")`): the values are unchanged, so the USING itself forces no rewrite. */
function isColumnItself(expr: PgNode, column: string): boolean {
  const fields = strings(expr.ColumnRef?.fields);
  return fields.length === 1 && fields[0] === column;
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
