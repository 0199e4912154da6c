import { nodeBody, nodeType, type PgNode } from '../pg/ast';
import { quoteAlways } from '../pg/names';
import { displayTable } from './helpers';
import { defineRule } from './rule';

export default defineRule({
  meta: {
    id: 'drop-schema',
    category: 'data-loss',
    defaultSeverity: 'error',
    fixAvailability: 'never',
    insideDoBlocks: true,
    summary: '`DROP SCHEMA` / `DROP DATABASE`',
    docs: {
      whatItDoes: 'Flags `DROP SCHEMA` of a schema that existed before this migration (or that Preflight does not know, unless `IF EXISTS` is given) and every `DROP DATABASE`.',
      whyIsThisBad: 'With `CASCADE`, `DROP SCHEMA` drops every table, view, type and function in the schema: all of their data is lost at once. Without `CASCADE` it fails on a schema that still holds anything, stopping the deploy. `DROP DATABASE` removes everything and cannot even run inside a transaction block, so in a migration that runs as one batch it fails. Statements like these usually come from a reset script pasted into a migration, which then runs on every environment, production included.',
      setup: 'CREATE SCHEMA IF NOT EXISTS "analytics";\nCREATE TABLE "analytics"."Event" ("id" SERIAL NOT NULL, "name" TEXT NOT NULL, CONSTRAINT "Event_pkey" PRIMARY KEY ("id"));',
      example: 'DROP SCHEMA "analytics" CASCADE;',
      useInstead: '-- Drop only the objects that are no longer used, one by one, after a backup:\nDROP TABLE "analytics"."Event";',
      fixSafety: 'No fix: dropping data is a decision.',
      references: ['https://www.postgresql.org/docs/current/sql-dropschema.html', 'https://www.postgresql.org/docs/current/sql-dropdatabase.html'],
    },
  },
  checkMigration(ctx) {
    for (const st of ctx.statements) {
      const type = nodeType(st.sql.node);
      const s = nodeBody(st.sql.node);
      if (type === 'DropdbStmt') {
        ctx.report({
          statement: st.index,
          message: `Drops database ${quoteAlways(s.dbname ?? '')} and all of its data; DROP DATABASE also cannot run inside a transaction block, so it fails wherever the file runs as one batch.`,
          help: 'Remove this statement: a migration must never drop a database.',
        });
        continue;
      }
      if (type !== 'DropStmt' || s.removeType !== 'OBJECT_SCHEMA') continue;
      for (const obj of (s.objects ?? []) as PgNode[]) {
        const schema: string | undefined = obj.String?.sval;
        if (!schema) continue;
        const knownBefore = ctx.before.schemas.has(schema);
        // Created in this migration, or unknown and only dropped if it exists: nothing to lose that we know of.
        if (!knownBefore && (s.missing_ok || st.catalog.schemas.has(schema))) continue;
        const tables = [...st.catalog.tables.keys()].filter((k) => k.startsWith(`${schema}.`) && ctx.existedBefore(k));
        const shown = tables.slice(0, 5).map(displayTable).join(', ') + (tables.length > 5 ? `, and ${tables.length - 5} more` : '');
        const cascade = s.behavior === 'DROP_CASCADE';
        let message: string;
        if (tables.length && cascade) message = `Drops schema ${quoteAlways(schema)} with everything in it, including ${tables.length} table${tables.length > 1 ? 's' : ''} (${shown}) and all of their data.`;
        else if (tables.length) message = `Drops schema ${quoteAlways(schema)}, which still holds ${tables.length} table${tables.length > 1 ? 's' : ''} (${shown}): without CASCADE the statement fails and stops the deploy, and with CASCADE their data would be lost.`;
        else message = `Drops schema ${quoteAlways(schema)}${cascade ? ' and everything in it' : ''}; whatever it holds on a real database is lost${cascade ? '' : ', or the statement fails if it is not empty'}.`;
        ctx.report({
          statement: st.index,
          message,
          help: 'Take a backup and drop only the objects that are no longer used, one by one; never ship a reset script as a migration.',
        });
      }
    }
  },
});
