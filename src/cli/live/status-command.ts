/**
 * `preflight status [path]`: `_prisma_migrations` against the migration folders, and drift
 * between the live schema and the one the history replays to. Exit 1 when a migration is
 * failed, modified or missing locally, or the schema drifted; 0 otherwise; 2 usage, connection
 * or read errors; 130 / 143 interrupted.
 */
import * as path from 'node:path';
import { analyzeProject } from '../../core/analysis/analyze-project';
import { Catalog } from '../../core/catalog/model';
import { InputError } from '../../core/input-error';
import { migrationsTableOf, readStatus, statusFails, type MigrationState, type StatusReport } from '../../core/live/status';
import { loadConfig } from '../../core/project/config';
import { discoverProject } from '../../core/project/discover';
import type { Io } from '../main';
import { parseCommand, renderHelp, type CommandSpec } from '../options/option-table';
import { UsageError } from '../usage-error';
import { LIVE_EPILOG, LIVE_OPTIONS, liveChoice, withLiveSession } from './live-options';
import { plural } from '../../core/text/plural';

export const STATUS_SPEC: CommandSpec = {
  name: 'status',
  usage: '[path] [options]',
  summary: "Compare a live database's applied migrations and schema with the migration folders (read-only)",
  description: `Reads _prisma_migrations and pg_catalog of the database, read-only, and says for each migration
whether it is applied, pending, failed (with the prisma migrate resolve commands), rolled back,
modified (its migration.sql changed after it was applied: migrate deploy never applies the edit)
or missing locally; then lists drift: foreign-key actions, indexes missing or INVALID, column
types, nullability and defaults, and enum values that differ from what the applied migrations leave.`,
  options: [
    { name: 'format', type: 'string', value: '<f>', choices: ['pretty', 'json'], description: 'Output format; json is documented by docs/status.schema.json (default: pretty)' },
    ...LIVE_OPTIONS,
    { name: 'config', type: 'string', value: '<file>', description: 'Use this preflight.config.json instead of searching for one' },
  ],
  epilog: `${LIVE_EPILOG}

Exit codes:
  0  nothing failed, modified, missing locally or drifted (pending migrations are fine)
  1  a migration is failed, modified or missing locally, or the schema drifted
  2  usage error, no database URL, or the database cannot be read`,
};

export async function statusCommand(args: string[], io: Io): Promise<number> {
  const command = parseCommand(STATUS_SPEC, args);
  if (command.help) {
    io.stdout(renderHelp(STATUS_SPEC));
    return 0;
  }
  if (command.positionals.length > 1) throw new UsageError(`status takes one project path, got ${command.positionals.length}`);
  const values = command.values;
  const choice = liveChoice(values, io);
  if (!choice) throw new UsageError('status needs a database: --database-url <url>, or set PREFLIGHT_DATABASE_URL');
  const target = path.resolve(io.cwd, command.positionals[0] ?? '.');
  let loaded;
  try {
    loaded = loadConfig(target, values.config ? path.resolve(io.cwd, String(values.config)) : undefined);
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
  const project = discoverProject(target, { config: loaded.config, configDir: loaded.file ? path.dirname(loaded.file) : undefined });
  if (!project.migrationsDir) throw new InputError(`no Prisma migrations folder at ${command.positionals[0] ?? '.'}`);
  const analysis = await analyzeProject(project, { config: loaded.config });
  const after = new Map(analysis.migrations.map((m) => [m.report.name, m.after]));
  const schemaRel = project.schemaPath && project.schemaPath !== path.join(project.root, 'prisma', 'schema.prisma') ? ` --schema ${path.relative(io.cwd, project.schemaPath)}` : '';
  const result = await withLiveSession(choice, io, (session) =>
    readStatus({ session, project, catalogAfter: (n) => after.get(n), emptyCatalog: new Catalog(), migrationsTable: migrationsTableOf(choice.url), schemaArg: schemaRel }),
  );
  if ('interrupted' in result) return result.interrupted;
  io.stdout(values.format === 'json' ? `${JSON.stringify(result, null, 2)}\n` : renderStatus(result));
  return statusFails(result) ? 1 : 0;
}

export function renderStatus(r: StatusReport): string {
  const out = [`Migrations on ${r.target}:`];
  const width = Math.max(...r.migrations.map((m) => m.state.length), 7) + 2;
  for (const m of r.migrations) {
    out.push(`  ${m.state.padEnd(width)}${m.name}`);
    if (m.state !== 'applied') out.push(`  ${' '.repeat(width)}${m.message}`);
    if (m.checksum) out.push(`  ${' '.repeat(width)}checksum recorded ${m.checksum.recorded.slice(0, 12)}…, file ${m.checksum.file.slice(0, 12)}…`);
    for (const c of m.commands ?? []) out.push(`  ${' '.repeat(width)}${c}`);
  }
  if (!r.migrations.length) out.push('  (no migrations)');
  for (const n of r.notes) out.push(`Note: ${n}`);
  out.push('', r.drift.length ? `Drift (${plural(r.drift.length, 'difference')}):` : 'Drift: none; the schema is what the applied migrations leave.');
  for (const d of r.drift) out.push(`  ${d.kind}: ${d.message}`);
  const counts = new Map<MigrationState, number>();
  for (const m of r.migrations) counts.set(m.state, (counts.get(m.state) ?? 0) + 1);
  const parts = [...counts].map(([state, n]) => `${n} ${state}`);
  out.push('', `${parts.join(', ') || 'no migrations'}; ${plural(r.drift.length, 'drift difference')}`);
  return `${out.join('\n')}\n`;
}
