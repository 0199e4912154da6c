/**
 * Finds the Prisma project a path belongs to: its schema file (or multi-file schema folder), its
 * migrations folder and migration folders, the provider in migration_lock.toml, and the Prisma
 * version. Any path is accepted: the project root, a schema file or folder, the migrations
 * folder, one migration folder or one file inside it.
 *
 * How the paths are found, first that applies:
 *  1. Project roots (the nearest folders at or above the path holding a package.json, a
 *     prisma.config.* or the config file): schema / migrations from preflight.config.json, else
 *     from prisma.config.ts (read as text, never run), else package.json `"prisma": { "schema" }`,
 *     else `prisma/schema.prisma`, `prisma/schema/`, `schema.prisma`, `schema/`; migrations next to
 *     the schema. Taken when the result contains the path (or the path contains it).
 *  2. The folders at and above the path, read without any configuration: a migrations folder
 *     (holding migration_lock.toml, or subfolders with a migration.sql) with the schema beside it,
 *     or the default schema locations. Corpus-style layouts without package.json land here.
 *  3. The nearest project root that found anything, even though the path lies elsewhere in it.
 *  4. For a folder in which nothing was found: the migrations folders below it (migration_lock.toml),
 *     when exactly one of them is for PostgreSQL.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { FILE_START, unreadableFile, type UnreadableFile } from '../text/read-source-file';
import { CONFIG_FILE_NAME, type PreflightConfig } from './config';
import { foldersBelow } from './folders-below';
import { compareMigrationNames } from './migration-order';
import { findPrismaConfigFile, readPrismaConfigPaths } from './prisma-config-file';
import { detectPrismaVersion, type PrismaVersionInfo } from './prisma-version';

export interface MigrationFolder {
  /** Folder name, e.g. `20240101000000_init`. */
  name: string;
  /** Absolute path of the folder. */
  dir: string;
  /** Absolute path of its migration.sql, or null when the folder has none (deploy fails on it) or it cannot be read. */
  sqlFile: string | null;
  /** Why the folder or its migration.sql cannot be read (permissions, migration.sql a directory), when it cannot. */
  unreadable?: UnreadableFile;
}

export type { PrismaVersionInfo } from './prisma-version';

export interface PrismaProject {
  /** Folder the paths are relative to: where package.json / prisma.config.ts / the prisma folder live. */
  root: string;
  /** The schema file, or the schema folder for multi-file schemas. */
  schemaPath: string | null;
  /** Every .prisma file of the schema: the file, or all under the folder (recursively, sorted). */
  schemaFiles: string[];
  migrationsDir: string | null;
  /** Every subfolder of migrationsDir, in Prisma's order (`a.name.localeCompare(b.name)`). */
  migrations: MigrationFolder[];
  /** From migration_lock.toml `provider = "..."`; without one, from the schema's datasource block. */
  provider: string | null;
  prismaVersion: PrismaVersionInfo;
  /** Set when the path given was one migration folder, a file in one, or one file of the schema. */
  focus: { migration?: string; file?: string };
  /** Plain words for the user: skipped providers, unreadable prisma.config.ts, missing folders. */
  notices: string[];
  /** Folders and schema files that exist but cannot be read: the migrations folder, a schema file that is a directory. */
  unreadable: UnreadableFile[];
}

export interface DiscoverOptions {
  config?: PreflightConfig;
  /** Folder of the config file: its `schema` / `migrations` paths are relative to it (default: the project root). */
  configDir?: string;
  /** Prisma version override (CLI `--prisma-version`, editor setting): wins over everything. */
  prismaVersion?: string;
}

const POSTGRES_PROVIDERS = new Set(['postgresql', 'postgres']);
const SKIPPED_DIRS = new Set(['node_modules']);

interface Layout {
  root: string;
  schemaPath: string | null;
  migrationsDir: string | null;
  notices: string[];
}

export function discoverProject(inputPath: string, options: DiscoverOptions = {}): PrismaProject {
  const target = path.resolve(inputPath);
  const targetStat = statOf(target);
  if (!targetStat) return emptyProject(target, options, [`${target} does not exist`]);
  const startDir = targetStat.isDirectory() ? target : path.dirname(target);
  const ancestors = ancestorsOf(startDir);

  let layout: Layout | null = null;
  const notices: string[] = [];

  // 1. declared layouts at the project roots above the path
  const declared: Layout[] = [];
  for (const root of projectRoots(ancestors, options)) {
    const found = declaredLayout(root, options);
    if (found.schemaPath || found.migrationsDir || found.notices.length) declared.push(found);
    if (covers(found, target)) {
      layout = found;
      break;
    }
  }
  // 2. the folders around the path, read without configuration
  if (!layout) {
    let withoutMigrations: Layout | null = null;
    for (const dir of ancestors) {
      const found = localLayout(dir, target);
      if (!found || !covers(found, target)) continue;
      if (found.migrationsDir) {
        layout = found;
        break;
      }
      withoutMigrations ??= found;
    }
    layout ??= withoutMigrations;
    const elsewhere = declared.find((d) => d.schemaPath || d.migrationsDir);
    if (layout && elsewhere) {
      notices.push(
        `${target} is outside the schema and migrations the project at ${elsewhere.root} is set up with (${[elsewhere.schemaPath, elsewhere.migrationsDir].filter(Boolean).join(', ')}): reviewing it on its own`,
      );
    }
  }
  // 3. the nearest project root that found anything
  layout ??= declared.find((d) => d.schemaPath || d.migrationsDir) ?? null;
  // a lone schema file given explicitly
  if (!layout && targetStat.isFile() && target.endsWith('.prisma')) {
    layout = { root: startDir, schemaPath: target, migrationsDir: migrationsBesideSchema(target), notices: [] };
  }
  // 4. one PostgreSQL migrations folder below the folder given
  if (!layout && targetStat.isDirectory()) {
    const below = migrationsDirsBelow(target);
    const postgres = below.filter((dir) => {
      const provider = providerOf(dir);
      return provider === null || POSTGRES_PROVIDERS.has(provider);
    });
    if (postgres.length === 1) {
      const found = discoverProject(postgres[0], options);
      found.notices.unshift(`no Prisma project at ${target} itself; reviewing the migrations found in ${path.relative(target, postgres[0])}`);
      return found;
    }
    if (below.length > 0) {
      const list = below.map((d) => path.relative(target, d)).join(', ');
      return emptyProject(target, options, [...declared.flatMap((d) => d.notices), `several Prisma migrations folders below ${target} (${list}): pass the one to review`]);
    }
  }
  if (!layout) return emptyProject(target, options, declared.flatMap((d) => d.notices));
  notices.unshift(...layout.notices);

  // a schema file given explicitly that the project does not use
  let schemaPath = layout.schemaPath;
  if (targetStat.isFile() && target.endsWith('.prisma') && !(schemaPath && isInside(target, schemaPath))) {
    notices.push(`${target} is not part of the project's schema${schemaPath ? ` (${schemaPath})` : ''}: reviewing it on its own`);
    schemaPath = target;
  }
  const migrationsDir = layout.migrationsDir;
  const schemaFiles = schemaPath ? schemaFilesOf(schemaPath, migrationsDir) : [];

  // provider
  let provider: string | null = null;
  let providerSource = '';
  if (migrationsDir) {
    const lock = path.join(migrationsDir, 'migration_lock.toml');
    provider = providerOf(migrationsDir);
    providerSource = `migration_lock.toml says provider = "${provider}"`;
    if (provider === null && schemaFiles.length > 0) {
      provider = datasourceProvider(schemaFiles);
      providerSource = `the schema's datasource says provider = "${provider}" (no provider in ${lock})`;
    }
  }
  const unreadable: UnreadableFile[] = [];
  let migrations = migrationsDir ? listMigrationFolders(migrationsDir, unreadable) : [];
  if (migrationsDir && provider === null && migrations.length > 0) {
    notices.push(`no provider in ${path.join(migrationsDir, 'migration_lock.toml')} or in the schema's datasource block: assuming the migrations are for PostgreSQL`);
  }
  if (provider !== null && !POSTGRES_PROVIDERS.has(provider)) {
    notices.push(`${providerSource}: Preflight only reviews PostgreSQL migrations; skipped ${migrations.length} migration${migrations.length === 1 ? '' : 's'} in ${migrationsDir}`);
    migrations = [];
  }

  // focus
  const focus: PrismaProject['focus'] = {};
  if (migrationsDir && target !== migrationsDir && isInside(target, migrationsDir)) {
    const name = path.relative(migrationsDir, target).split(path.sep)[0];
    if (migrations.some((m) => m.name === name)) {
      focus.migration = name;
      if (targetStat.isFile()) focus.file = target;
    }
  } else if (targetStat.isFile() && schemaFiles.includes(target)) {
    focus.file = target;
  }

  return {
    root: layout.root,
    schemaPath,
    schemaFiles,
    migrationsDir,
    migrations,
    provider,
    prismaVersion: detectPrismaVersion(layout.root, options.prismaVersion, options.config?.prismaVersion),
    focus,
    notices,
    unreadable: [...unreadableSchemaPaths(layout.root, schemaPath), ...unreadable],
  };
}

function emptyProject(target: string, options: DiscoverOptions, notices: string[]): PrismaProject {
  const root = statOf(target)?.isDirectory() ? target : path.dirname(target);
  return {
    root,
    schemaPath: null,
    schemaFiles: [],
    migrationsDir: null,
    migrations: [],
    provider: null,
    prismaVersion: detectPrismaVersion(root, options.prismaVersion, options.config?.prismaVersion),
    focus: {},
    notices,
    unreadable: [],
  };
}

/** `dir` and the folders above it, up to the one holding `.git` or the filesystem root. */
function ancestorsOf(dir: string): string[] {
  const out: string[] = [];
  let current = dir;
  for (;;) {
    out.push(current);
    if (existsSync(path.join(current, '.git'))) return out;
    const parent = path.dirname(current);
    if (parent === current) return out;
    current = parent;
  }
}

/** Folders that mark a project root, nearest first; the config's folder last if it is elsewhere. */
function projectRoots(ancestors: string[], options: DiscoverOptions): string[] {
  const configDir = options.configDir ? path.resolve(options.configDir) : null;
  const roots = ancestors.filter(
    (dir) => dir === configDir || isFile(path.join(dir, 'package.json')) || findPrismaConfigFile(dir) !== null || isFile(path.join(dir, CONFIG_FILE_NAME)),
  );
  if (configDir && !roots.includes(configDir)) roots.push(configDir);
  return roots;
}

/** The layout a project root declares: config file, prisma.config.ts, package.json, then defaults. */
function declaredLayout(root: string, options: DiscoverOptions): Layout {
  const notices: string[] = [];
  const config = options.config ?? {};
  const configDir = options.configDir ? path.resolve(options.configDir) : root;
  let schemaPath: string | null = null;
  let migrationsDir: string | null = null;
  let schemaDeclared = false;
  let migrationsDeclared = false;

  if (config.schema) {
    schemaDeclared = true;
    const p = path.resolve(configDir, config.schema);
    if (isSchemaPath(p)) schemaPath = p;
    else notices.push(`${CONFIG_FILE_NAME}: "schema": "${config.schema}" is neither a .prisma file nor a folder with .prisma files (${p})`);
  }
  if (config.migrations) {
    migrationsDeclared = true;
    const p = path.resolve(configDir, config.migrations);
    if (isDir(p)) migrationsDir = p;
    else notices.push(`${CONFIG_FILE_NAME}: "migrations": "${config.migrations}" is not a folder (${p})`);
  }

  const prismaConfig = findPrismaConfigFile(root);
  if (prismaConfig && (!schemaDeclared || !migrationsDeclared)) {
    let read: ReturnType<typeof readPrismaConfigPaths> | null = null;
    try {
      read = readPrismaConfigPaths(readFileSync(prismaConfig, 'utf8'), path.dirname(prismaConfig));
    } catch (e) {
      notices.push(`${prismaConfig} cannot be read (${(e as Error).message})`);
    }
    if (read) {
      const name = path.basename(prismaConfig);
      for (const u of read.unreadable) {
        if (u.setting === 'config') {
          notices.push(`${prismaConfig}: its exported configuration cannot be read without running the file; using the default schema and migrations locations (set "schema" and "migrations" in ${CONFIG_FILE_NAME} to be exact)`);
        } else {
          const fallback = u.setting === 'schema' ? 'the default schema location' : 'the migrations folder next to the schema';
          const key = u.setting === 'schema' ? 'schema' : 'migrations';
          notices.push(`${prismaConfig}: ${u.setting} is \`${u.source}\`, which Preflight cannot evaluate without running the file; using ${fallback} (set "${key}" in ${CONFIG_FILE_NAME} to be exact)`);
        }
      }
      if (!schemaDeclared && read.schema) {
        schemaDeclared = true;
        if (isSchemaPath(read.schema)) schemaPath = read.schema;
        else notices.push(`${name}: schema ${read.schema} is neither a .prisma file nor a folder with .prisma files`);
      }
      if (!migrationsDeclared && read.migrationsPath) {
        migrationsDeclared = true;
        if (isDir(read.migrationsPath)) migrationsDir = read.migrationsPath;
        else notices.push(`${name}: migrations.path ${read.migrationsPath} is not a folder (no migration created yet?)`);
      }
    }
  }

  if (!schemaDeclared) {
    const pkgSchema = packageJsonSchema(root);
    if (pkgSchema) {
      schemaDeclared = true;
      if (isSchemaPath(pkgSchema)) schemaPath = pkgSchema;
      else notices.push(`package.json: "prisma": { "schema" } points at ${pkgSchema}, which is neither a .prisma file nor a folder with .prisma files`);
    }
  }
  if (!schemaDeclared) schemaPath = defaultSchema(root);
  if (!schemaDeclared && !schemaPath && migrationsDir) schemaPath = schemaBesideMigrations(path.dirname(migrationsDir), migrationsDir);
  if (!migrationsDeclared) {
    if (schemaPath) migrationsDir = migrationsBesideSchema(schemaPath);
    else migrationsDir = [path.join(root, 'prisma', 'migrations'), path.join(root, 'migrations')].find(isMigrationsDir) ?? null;
    if (schemaPath && !migrationsDir) notices.push(`no migrations folder next to the schema ${schemaPath}: no migration to review`);
  }
  return { root, schemaPath, migrationsDir, notices };
}

/** A layout read from `dir` alone: `dir` is a migrations folder, or holds the schema in a default place. */
function localLayout(dir: string, target: string): Layout | null {
  if (isMigrationsDir(dir)) {
    const parent = path.dirname(dir);
    return { root: parent, schemaPath: schemaBesideMigrations(parent, dir), migrationsDir: dir, notices: [] };
  }
  let schemaPath = defaultSchema(dir);
  // a folder of .prisma files given explicitly is a multi-file schema
  if (!schemaPath && dir === target && prismaFilesIn(dir, null, false).length > 0) schemaPath = dir;
  if (schemaPath) return { root: dir, schemaPath, migrationsDir: migrationsBesideSchema(schemaPath), notices: [] };
  const migrationsDir = [path.join(dir, 'prisma', 'migrations'), path.join(dir, 'migrations')].find(isMigrationsDir);
  if (migrationsDir) return { root: dir, schemaPath: schemaBesideMigrations(path.dirname(migrationsDir), migrationsDir), migrationsDir, notices: [] };
  return null;
}

/** True when the layout contains the target, or the target contains the layout's schema or migrations. */
function covers(layout: Layout, target: string): boolean {
  return [layout.schemaPath, layout.migrationsDir].some((p) => p !== null && (isInside(target, p) || isInside(p, target)));
}

function defaultSchema(dir: string): string | null {
  const file1 = path.join(dir, 'prisma', 'schema.prisma');
  if (isFile(file1)) return file1;
  const folder1 = path.join(dir, 'prisma', 'schema');
  if (isSchemaFolder(folder1)) return folder1;
  const file2 = path.join(dir, 'schema.prisma');
  if (isFile(file2)) return file2;
  const folder2 = path.join(dir, 'schema');
  if (isSchemaFolder(folder2)) return folder2;
  return null;
}

/**
 * The migrations folder Prisma uses for a schema: next to a schema file; for a schema folder, next
 * to the file holding the datasource block (Prisma 6.6+), inside the folder, or next to the folder.
 */
function migrationsBesideSchema(schemaPath: string): string | null {
  if (isFile(schemaPath)) {
    const dir = path.join(path.dirname(schemaPath), 'migrations');
    return isDir(dir) ? dir : null;
  }
  const candidates: string[] = [];
  const datasourceFile = prismaFilesIn(schemaPath, null, true).find((f) => /^\s*datasource\s+\w+\s*\{/m.test(readText(f)));
  if (datasourceFile) candidates.push(path.join(path.dirname(datasourceFile), 'migrations'));
  candidates.push(path.join(schemaPath, 'migrations'), path.join(path.dirname(schemaPath), 'migrations'));
  return candidates.find(isDir) ?? null;
}

/** The schema for a migrations folder found on its own, looked for in the folder that holds it. */
function schemaBesideMigrations(parent: string, migrationsDir: string): string | null {
  const folder = path.join(parent, 'schema');
  if (isSchemaFolder(folder)) return folder;
  const direct = prismaFilesIn(parent, migrationsDir, false);
  const nested = prismaFilesIn(parent, migrationsDir, true, 2).length > direct.length;
  // the migrations folder sits inside a multi-file schema folder (Prisma 6.6+ layout)
  if (nested) return parent;
  const schemaFile = path.join(parent, 'schema.prisma');
  if (isFile(schemaFile)) return schemaFile;
  if (direct.length === 1) return direct[0];
  if (direct.length > 1) return parent;
  return null;
}

function schemaFilesOf(schemaPath: string, migrationsDir: string | null): string[] {
  return isFile(schemaPath) ? [schemaPath] : prismaFilesIn(schemaPath, migrationsDir, true);
}

/**
 * .prisma files in `dir`, sorted: directly in it, or (`recursive`) down to `maxDepth` folders
 * below it; never inside node_modules, dot folders or a migrations folder (whose migration
 * folders may hold old schema snapshots).
 */
function prismaFilesIn(dir: string, migrationsDir: string | null, recursive: boolean, maxDepth = Infinity): string[] {
  const out: string[] = [];
  const walk = (current: string, depth: number): void => {
    let entries;
    try {
      entries = readdirSync(current, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const full = path.join(current, e.name);
      if (e.isDirectory()) {
        if (recursive && depth < maxDepth && !SKIPPED_DIRS.has(e.name) && !e.name.startsWith('.') && full !== migrationsDir && e.name !== 'migrations') walk(full, depth + 1);
      } else if (e.name.endsWith('.prisma') && (e.isFile() || isFile(full))) {
        out.push(full);
      }
    }
  };
  walk(dir, 0);
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** A folder holding migration_lock.toml, or at least one subfolder with a migration.sql. */
function isMigrationsDir(dir: string): boolean {
  if (isFile(path.join(dir, 'migration_lock.toml'))) return true;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return false;
  }
  return entries.some((e) => e.isDirectory() && isFile(path.join(dir, e.name, 'migration.sql')));
}

/**
 * Every subfolder, as Prisma lists them (directory entries only, `localeCompare` order); files are
 * ignored. A migrations folder that cannot be listed, or a migration folder whose migration.sql
 * cannot be looked at, is recorded in `unreadable`: it is not a folder without migration.sql.
 */
function listMigrationFolders(migrationsDir: string, unreadable: UnreadableFile[]): MigrationFolder[] {
  let entries;
  try {
    entries = readdirSync(migrationsDir, { withFileTypes: true });
  } catch (e) {
    unreadable.push(unreadableFile(migrationsDir, e, 'listed'));
    return [];
  }
  const folders = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort(compareMigrationNames)
    .map((name): MigrationFolder => {
      const dir = path.join(migrationsDir, name);
      const sql = path.join(dir, 'migration.sql');
      let stat;
      try {
        stat = statSync(sql);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { name, dir, sqlFile: null };
        return { name, dir, sqlFile: null, unreadable: unreadableFile(sql, e) };
      }
      if (!stat.isFile()) return { name, dir, sqlFile: null, unreadable: { file: sql, kind: 'directory', reason: 'is a directory, not a file', range: FILE_START } };
      return { name, dir, sqlFile: sql };
    });
  for (const f of folders) if (f.unreadable) unreadable.push(f.unreadable);
  return folders;
}

/**
 * Schema files Prisma would read that are not files: `schema.prisma` as a directory (without .prisma
 * files in it, so it is no multi-file schema). Found in the default places when no schema was found.
 */
function unreadableSchemaPaths(root: string, schemaPath: string | null): UnreadableFile[] {
  if (schemaPath) return [];
  return [path.join(root, 'prisma', 'schema.prisma'), path.join(root, 'schema.prisma')]
    .filter((p) => isDir(p) && !isSchemaFolder(p))
    .map((p): UnreadableFile => ({ file: p, kind: 'directory', reason: 'is a directory, not a file', range: FILE_START }));
}

function providerOf(migrationsDir: string): string | null {
  const text = readText(path.join(migrationsDir, 'migration_lock.toml'));
  const m = /^\s*provider\s*=\s*["']([^"']*)["']/m.exec(text);
  return m ? m[1].trim() : null;
}

function datasourceProvider(schemaFiles: string[]): string | null {
  for (const file of schemaFiles) {
    const block = /^\s*datasource\s+\w+\s*\{([^}]*)\}/m.exec(readText(file));
    const m = block && /^\s*provider\s*=\s*"([^"]*)"/m.exec(block[1]);
    if (m) return m[1].trim();
  }
  return null;
}

function packageJsonSchema(root: string): string | null {
  try {
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { prisma?: { schema?: unknown } };
    const schema = pkg?.prisma?.schema;
    return typeof schema === 'string' && schema.trim() ? path.resolve(root, schema.trim()) : null;
  } catch {
    return null;
  }
}

/** Folders below `dir` (a few levels deep, skipping node_modules and dot folders) holding migration_lock.toml. */
function migrationsDirsBelow(dir: string): string[] {
  return foldersBelow(dir, {
    maxDepth: 6,
    maxEntries: 5000,
    matches: (entries) => entries.some((e) => e.name === 'migration_lock.toml' && e.isFile()),
    stopAtMatch: true,
  });
}

function isSchemaPath(p: string): boolean {
  return (isFile(p) && p.endsWith('.prisma')) || isSchemaFolder(p);
}

function isSchemaFolder(dir: string): boolean {
  return isDir(dir) && prismaFilesIn(dir, null, true, 3).length > 0;
}

/** True when `child` is `parent` or inside it. */
function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function statOf(p: string) {
  try {
    return statSync(p);
  } catch {
    return null;
  }
}

function isFile(p: string): boolean {
  return statOf(p)?.isFile() ?? false;
}

function isDir(p: string): boolean {
  return statOf(p)?.isDirectory() ?? false;
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
