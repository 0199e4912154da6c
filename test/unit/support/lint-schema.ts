/** Analyse a schema.prisma against a migration history (and optionally a base schema) in a temp project. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { analyzeProject } from '../../../src/core/analysis/analyze-project';
import { parsePrismaSchema } from '../../../src/core/prisma/schema';
import { discoverProject } from '../../../src/core/project/discover';
import type { Finding } from '../../../src/core/types';

const HEADER = 'datasource db {\n  provider = "postgresql"\n}\n\n';

/** `branch`: indexes of the history's migrations that a branch adds (the editor's branch scope, `--since`). */
export async function lintSchema(schema: string, options: { history?: string[]; baseSchema?: string; rules?: string[]; branch?: number[] } = {}): Promise<Finding[]> {
  const root = mkdtempSync(path.join(tmpdir(), 'pf-schema-'));
  try {
    const prisma = path.join(root, 'prisma');
    mkdirSync(path.join(prisma, 'migrations'), { recursive: true });
    writeFileSync(path.join(prisma, 'migrations', 'migration_lock.toml'), 'provider = "postgresql"\n');
    (options.history ?? []).forEach((sql, i) => {
      const dir = path.join(prisma, 'migrations', `2025010100000${i}_m${i}`);
      mkdirSync(dir);
      writeFileSync(path.join(dir, 'migration.sql'), sql);
    });
    const schemaFile = path.join(prisma, 'schema.prisma');
    writeFileSync(schemaFile, HEADER + schema);
    const project = discoverProject(root, { prismaVersion: '7.3.0' });
    const baseSchema = options.baseSchema === undefined ? null : parsePrismaSchema([{ path: schemaFile, text: HEADER + options.baseSchema }]);
    const branchMigrations = options.branch ? new Set(options.branch.map((i) => `2025010100000${i}_m${i}`)) : null;
    const { result } = await analyzeProject(project, { baseSchema, baseRef: options.baseSchema === undefined ? null : 'main', branchMigrations });
    const schemaFindings = result.findings.filter((f) => f.migration === null);
    return options.rules ? schemaFindings.filter((f) => options.rules!.includes(f.rule)) : schemaFindings;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** `rule@line:column` of each finding, lines counted in the schema text as given (without the header). */
export async function lintSchemaIds(schema: string, options: Parameters<typeof lintSchema>[1] = {}): Promise<string[]> {
  const headerLines = HEADER.split('\n').length - 1;
  return (await lintSchema(schema, options)).map((f) => `${f.rule}@${f.range.start.line - headerLines}:${f.range.start.column}`);
}
