import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import Ajv from 'ajv';
import { findConfigFile, loadConfig, mergeConfig, parseConfigText, type PreflightConfig } from '../../src/core/project/config';
import { discoverProject, type DiscoverOptions, type PrismaProject } from '../../src/core/project/discover';
import { compareMigrationNames } from '../../src/core/project/migration-order';
import { readPrismaConfigPaths } from '../../src/core/project/prisma-config-file';
import { compareVersions, detectPrismaVersion, minimumVersionOfRange } from '../../src/core/project/prisma-version';
import { CORPUS, describeWithCorpus } from './support/corpus';
import { rng } from './support/random';

const REPO = join(__dirname, '..', '..');
const FIXTURES = join(REPO, 'test', 'fixtures', 'projects');

/** Project-relative view of a discovery result, with `/` separators, for exact comparison. */
function summary(project: PrismaProject, base: string) {
  const rel = (p: string | null) => (p === null ? null : relative(base, p).split(sep).join('/') || '.');
  return {
    root: rel(project.root),
    schemaPath: rel(project.schemaPath),
    schemaFiles: project.schemaFiles.map(rel),
    migrationsDir: rel(project.migrationsDir),
    migrations: project.migrations.map((m) => (m.sqlFile ? m.name : `${m.name} (no migration.sql)`)),
    provider: project.provider,
    focus: { migration: project.focus.migration, file: project.focus.file ? rel(project.focus.file) : undefined },
  };
}

/** Writes `files` (relative path → content) under a new temporary folder; node_modules and .git cannot be committed as fixtures. */
function tempProject(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'preflight-project-'));
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), content);
  }
  return dir;
}

const temps: string[] = [];
function temp(files: Record<string, string>): string {
  const dir = tempProject(files);
  temps.push(dir);
  return dir;
}
after(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

const PG_LOCK = 'provider = "postgresql"\n';
const PG_SCHEMA = 'datasource db {\n  provider = "postgresql"\n}\n';

describe('project: preflight.config.json', () => {
  const FILE = '/repo/preflight.config.json';
  const cases: { name: string; text: string; config: PreflightConfig; problems: RegExp[] }[] = [
    { name: 'an empty object', text: '{}', config: {}, problems: [] },
    {
      name: 'every setting, with comments and trailing commas',
      text: `{
  "$schema": "./config.schema.json",
  // paths are relative to this file
  "prismaVersion": "7.3.0", /* exact */
  "schema": "prisma/schema.prisma",
  "migrations": "prisma/migrations",
  "rules": { "lock-timeout-missing": "off", "drop-column": "warning", "x": "info", "y": "error", },
  "baseRef": "origin/main",
}`,
      config: {
        prismaVersion: '7.3.0',
        schema: 'prisma/schema.prisma',
        migrations: 'prisma/migrations',
        rules: { 'lock-timeout-missing': 'off', 'drop-column': 'warning', x: 'info', y: 'error' },
        baseRef: 'origin/main',
      },
      problems: [],
    },
    {
      name: 'a syntax error keeps the settings before it',
      text: '{\n  "schema": "a.prisma",\n  "migrations": "m"\n  "baseRef": "main"\n}',
      config: { schema: 'a.prisma', migrations: 'm' },
      problems: [/^\/repo\/preflight\.config\.json: line 4, column 3: not valid JSON: expected ',' or '}' after the value of "migrations", found '"'; the rest of the file was ignored$/],
    },
    {
      name: 'bad values are reported with their line and dropped, valid ones kept',
      text: '{\n  "prismaVersion": "^7.3.0",\n  "schema": 42,\n  "rules": {\n    "drop-column": "warn",\n    "drop-table": "off",\n    "rename-column": false\n  },\n  "baseRef": ""\n}',
      config: { rules: { 'drop-table': 'off' } },
      problems: [
        /^\/repo\/preflight\.config\.json: line 2: "prismaVersion" must be a version such as "7\.3\.0", not "\^7\.3\.0" \(a range: give the exact version Preflight should assume\); ignored$/,
        /^\/repo\/preflight\.config\.json: line 3: "schema" must be a path relative to preflight\.config\.json, not number 42; ignored$/,
        /^\/repo\/preflight\.config\.json: line 5: rule "drop-column" is set to "warn" \(did you mean "warning"\?\); use "error", "warning", "info" or "off"; ignored$/,
        /^\/repo\/preflight\.config\.json: line 7: rule "rename-column" is set to boolean false; use "error", "warning", "info" or "off"; ignored$/,
        /^\/repo\/preflight\.config\.json: line 9: "baseRef" must be a git ref such as "origin\/main", not ""; ignored$/,
      ],
    },
    {
      name: 'unknown settings are named, with the likely intended one',
      text: '{ "rule": { "drop-table": "off" }, "baseref": "main", "colour": true, "migrations": "db/m" }',
      config: { migrations: 'db/m' },
      problems: [
        /unknown setting "rule" \(did you mean "rules"\? known settings: prismaVersion, schema, migrations, rules, baseRef, lockTimeSeverity, statsFile\); ignored$/,
        /unknown setting "baseref" \(did you mean "baseRef"\? known settings/,
        /unknown setting "colour" \(known settings/,
      ],
    },
    { name: 'a stats file', text: '{ "statsFile": "preflight-stats.json" }', config: { statsFile: 'preflight-stats.json' }, problems: [] },
    { name: 'a stats file that is not a path', text: '{ "statsFile": 3 }', config: {}, problems: [/"statsFile" must be a path relative to preflight\.config\.json, not number 3; ignored$/] },
    { name: 'lockTimeSeverity in seconds', text: '{ "lockTimeSeverity": { "warning": 0.5, "error": 30 } }', config: { lockTimeSeverity: { warning: 0.5, error: 30 } }, problems: [] },
    { name: 'lockTimeSeverity with one level', text: '{ "lockTimeSeverity": { "error": 10 } }', config: { lockTimeSeverity: { warning: null, error: 10 } }, problems: [] },
    { name: 'lockTimeSeverity off', text: '{ "lockTimeSeverity": "off" }', config: { lockTimeSeverity: 'off' }, problems: [] },
    {
      name: 'lockTimeSeverity that is not seconds above 0',
      text: '{ "lockTimeSeverity": { "warning": 0 } }',
      config: {},
      problems: [/"lockTimeSeverity" must be "off" or an object of seconds above 0 \(or null\) such as \{ "warning": 1, "error": 10 \}, not .*; ignored$/],
    },
    { name: 'lockTimeSeverity with a key it does not know', text: '{ "lockTimeSeverity": { "warn": 1 } }', config: {}, problems: [/"lockTimeSeverity" must be "off" or an object/] },
    { name: '"rules" that is not an object', text: '{ "rules": ["drop-table"] }', config: {}, problems: [/"rules" must be an object of rule ids and severities, such as \{ "drop-column": "warning" \}, not a list; ignored$/] },
    { name: 'a list instead of an object', text: '[1, 2]', config: {}, problems: [/preflight\.config\.json: must hold an object such as .*, not a list$/] },
    { name: 'an empty file', text: '  // nothing yet\n', config: {}, problems: [/preflight\.config\.json: is empty; expected an object/] },
    { name: 'single quotes', text: "{ 'schema': 'x' }", config: {}, problems: [/line 1, column 3: not valid JSON: expected a property name in double quotes \(single quotes are not JSON\)/] },
    { name: 'an unclosed comment', text: '{ "schema": "x" /* oops }', config: { schema: 'x' }, problems: [/line 1, column 17: not valid JSON: a \/\* comment is never closed with \*\//] },
    { name: 'a byte order mark and CRLF line ends', text: '\ufeff{\r\n  "baseRef": "origin/main",\r\n  "x": 1\r\n}', config: { baseRef: 'origin/main' }, problems: [/: line 3: unknown setting "x"/] },
  ];
  for (const c of cases) {
    it(`parses ${c.name}`, () => {
      const loaded = parseConfigText(c.text, FILE);
      assert.deepEqual(loaded.config, c.config);
      assert.equal(loaded.file, FILE);
      assert.equal(loaded.problems.length, c.problems.length, loaded.problems.join('\n'));
      c.problems.forEach((re, i) => assert.match(loaded.problems[i], re));
    });
  }

  it('config.schema.json accepts exactly the files parseConfigText reads without problems', () => {
    const schema = JSON.parse(readFileSync(join(REPO, 'config.schema.json'), 'utf8'));
    const validate = new Ajv({ allErrors: true }).compile(schema);
    const samples = [
      '{}',
      '{ "$schema": "x", "prismaVersion": "7.4.0-dev.3", "schema": "s", "migrations": "m", "rules": { "a": "off" }, "baseRef": "main" }',
      '{ "prismaVersion": "7" }',
      '{ "prismaVersion": "^7.3.0" }',
      '{ "rules": { "drop-column": "warn" } }',
      '{ "rules": [] }',
      '{ "schema": "" }',
      '{ "migrations": 1 }',
      '{ "other": true }',
      '[]',
    ];
    for (const text of samples) {
      assert.equal(validate(JSON.parse(text)), parseConfigText(text, FILE).problems.length === 0, text);
    }
  });

  it('finds the file in the start folder or above it, and reads it', () => {
    const start = join(FIXTURES, 'config-file', 'db', 'history', '20240101000000_init');
    const file = join(FIXTURES, 'config-file', 'preflight.config.json');
    assert.equal(findConfigFile(start), file);
    const loaded = loadConfig(start);
    assert.equal(loaded.file, file);
    assert.deepEqual(loaded.config, {
      schema: 'db/app.prisma',
      migrations: 'db/history',
      prismaVersion: '7.3.0',
      rules: { 'lock-timeout-missing': 'off', 'drop-table': 'warning' },
    });
    assert.deepEqual(
      loaded.problems.map((p) => p.replace(file, 'FILE')),
      [
        'FILE: line 9: rule "drop-column" is set to "warn" (did you mean "warning"?); use "error", "warning", "info" or "off"; ignored',
        'FILE: line 12: unknown setting "baseref" (did you mean "baseRef"? known settings: prismaVersion, schema, migrations, rules, baseRef, lockTimeSeverity, statsFile); ignored',
      ],
    );
  });

  it('stops searching at the repository root (the folder holding .git)', () => {
    const dir = temp({ 'preflight.config.json': '{}', 'repo/.git/HEAD': 'ref: refs/heads/main\n', 'repo/app/prisma/schema.prisma': PG_SCHEMA });
    assert.equal(findConfigFile(join(dir, 'repo', 'app', 'prisma')), null);
    assert.deepEqual(loadConfig(join(dir, 'repo', 'app')), { config: {}, file: null, problems: [] });
    writeFileSync(join(dir, 'repo', 'preflight.config.json'), '{ "baseRef": "origin/main" }');
    assert.equal(findConfigFile(join(dir, 'repo', 'app', 'prisma')), join(dir, 'repo', 'preflight.config.json'));
  });

  it('an explicit file that does not exist is an error naming it', () => {
    const missing = join(FIXTURES, 'classic', 'nope.json');
    assert.throws(() => loadConfig(FIXTURES, missing), { message: `config file ${missing} does not exist` });
    assert.throws(() => loadConfig(FIXTURES, join(FIXTURES, 'classic')), /is not a file$/);
  });

  it('an explicit file is read even where the search would find another', () => {
    const dir = temp({ 'preflight.config.json': '{ "baseRef": "a" }', 'other.json': '{ "baseRef": "b" }' });
    assert.deepEqual(loadConfig(dir, 'other.json').config, { baseRef: 'b' });
    assert.deepEqual(loadConfig(dir).config, { baseRef: 'a' });
  });

  it('mergeConfig: the override wins setting by setting, rules merge per id, inputs unchanged', () => {
    const base: PreflightConfig = { prismaVersion: '7.3.0', schema: 's.prisma', rules: { a: 'off', b: 'warning' } };
    const override: PreflightConfig = { prismaVersion: '7.4.0', rules: { b: 'error', c: 'info' } };
    assert.deepEqual(mergeConfig(base, override), { prismaVersion: '7.4.0', schema: 's.prisma', rules: { a: 'off', b: 'error', c: 'info' } });
    assert.deepEqual(base, { prismaVersion: '7.3.0', schema: 's.prisma', rules: { a: 'off', b: 'warning' } });
    assert.deepEqual(mergeConfig({ baseRef: 'main' }, {}), { baseRef: 'main' });
    assert.deepEqual(mergeConfig({}, { rules: { x: 'off' } }), { rules: { x: 'off' } });
  });
});

describe('project: discoverProject on fixture projects', () => {
  type Expected = Partial<ReturnType<typeof summary>> & { notices?: RegExp[] };
  const CLASSIC = {
    root: '.',
    schemaPath: 'prisma/schema.prisma',
    schemaFiles: ['prisma/schema.prisma'],
    migrationsDir: 'prisma/migrations',
    migrations: ['20240101000000_init', '20240201000000_add_name'],
    provider: 'postgresql',
  };
  const MULTI = {
    root: '.',
    schemaPath: 'prisma/schema',
    schemaFiles: ['prisma/schema/models/user.prisma', 'prisma/schema/post.prisma', 'prisma/schema/schema.prisma'],
    migrationsDir: 'prisma/migrations',
    migrations: ['20240101000000_init'],
    provider: 'postgresql',
  };
  const MULTI_INNER = {
    root: '.',
    schemaPath: 'prisma/schema',
    schemaFiles: ['prisma/schema/main.prisma', 'prisma/schema/user.prisma'],
    migrationsDir: 'prisma/schema/migrations',
    migrations: ['20240101000000_init'],
  };
  const cases: { name: string; fixture: string; path: string; expect: Expected; options?: (dir: string) => DiscoverOptions }[] = [
    { name: 'classic layout from its root', fixture: 'classic', path: '.', expect: { ...CLASSIC, focus: { migration: undefined, file: undefined }, notices: [] } },
    { name: 'classic layout from schema.prisma', fixture: 'classic', path: 'prisma/schema.prisma', expect: { ...CLASSIC, focus: { migration: undefined, file: 'prisma/schema.prisma' } } },
    { name: 'classic layout from the prisma folder', fixture: 'classic', path: 'prisma', expect: CLASSIC },
    { name: 'classic layout from the migrations folder', fixture: 'classic', path: 'prisma/migrations', expect: { ...CLASSIC, focus: { migration: undefined, file: undefined } } },
    {
      name: 'classic layout from one migration folder',
      fixture: 'classic',
      path: 'prisma/migrations/20240101000000_init',
      expect: { ...CLASSIC, focus: { migration: '20240101000000_init', file: undefined } },
    },
    {
      name: 'classic layout from one migration.sql',
      fixture: 'classic',
      path: 'prisma/migrations/20240201000000_add_name/migration.sql',
      expect: { ...CLASSIC, focus: { migration: '20240201000000_add_name', file: 'prisma/migrations/20240201000000_add_name/migration.sql' } },
    },
    {
      name: 'classic layout from a down.sql next to a migration.sql',
      fixture: 'classic',
      path: 'prisma/migrations/20240201000000_add_name/down.sql',
      expect: { ...CLASSIC, focus: { migration: '20240201000000_add_name', file: 'prisma/migrations/20240201000000_add_name/down.sql' } },
    },
    { name: 'multi-file schema folder from the root', fixture: 'multi-file', path: '.', expect: { ...MULTI, notices: [] } },
    { name: 'multi-file schema folder from the folder', fixture: 'multi-file', path: 'prisma/schema', expect: { ...MULTI, focus: { migration: undefined, file: undefined } } },
    {
      name: 'multi-file schema folder from a nested model file',
      fixture: 'multi-file',
      path: 'prisma/schema/models/user.prisma',
      expect: { ...MULTI, focus: { migration: undefined, file: 'prisma/schema/models/user.prisma' }, notices: [] },
    },
    { name: 'multi-file schema with migrations inside the folder, from the root', fixture: 'multi-file-inner', path: '.', expect: MULTI_INNER },
    {
      name: 'multi-file schema with migrations inside the folder, from a migration.sql',
      fixture: 'multi-file-inner',
      path: 'prisma/schema/migrations/20240101000000_init/migration.sql',
      expect: { ...MULTI_INNER, focus: { migration: '20240101000000_init', file: 'prisma/schema/migrations/20240101000000_init/migration.sql' } },
    },
    {
      name: 'prisma.config.ts: path.join schema and a custom migrations path (not the db/migrations decoy)',
      fixture: 'prisma-config',
      path: '.',
      expect: { root: '.', schemaPath: 'db/schema.prisma', migrationsDir: 'db/sql-migrations', migrations: ['20240101000000_init', '20240301000000_second'], notices: [] },
    },
    {
      name: 'prisma.config.ts project, path in a migrations folder the config does not name',
      fixture: 'prisma-config',
      path: 'db/migrations/20200101000000_decoy',
      expect: {
        root: 'db',
        migrationsDir: 'db/migrations',
        migrations: ['20200101000000_decoy'],
        focus: { migration: '20200101000000_decoy', file: undefined },
        notices: [/db\/migrations\/20200101000000_decoy is outside the schema and migrations the project at .*prisma-config is set up with \(.*db\/schema\.prisma, .*db\/sql-migrations\): reviewing it on its own$/],
      },
    },
    {
      name: 'prisma.config.ts that needs running: notices, then the default locations',
      fixture: 'prisma-config-dynamic',
      path: '.',
      expect: {
        schemaPath: 'prisma/schema.prisma',
        migrationsDir: 'prisma/migrations',
        migrations: ['20240101000000_init'],
        notices: [
          /prisma\.config\.ts: schema is `process\.env\.PRISMA_SCHEMA \?\? 'prisma\/schema\.prisma'`, which Preflight cannot evaluate without running the file; using the default schema location \(set "schema" in preflight\.config\.json to be exact\)$/,
          /prisma\.config\.ts: migrations\.path is ``\$\{process\.env\.APP\}\/migrations``, which Preflight cannot evaluate without running the file; using the migrations folder next to the schema/,
        ],
      },
    },
    {
      name: 'package.json "prisma": { "schema" }',
      fixture: 'package-json-schema',
      path: '.',
      expect: { root: '.', schemaPath: 'database/main.prisma', migrationsDir: 'database/migrations', migrations: ['20240101000000_init'], notices: [] },
    },
    {
      name: 'MySQL provider: a notice and no migrations',
      fixture: 'mysql',
      path: '.',
      expect: {
        migrationsDir: 'prisma/migrations',
        migrations: [],
        provider: 'mysql',
        notices: [/^migration_lock\.toml says provider = "mysql": Preflight only reviews PostgreSQL migrations; skipped 1 migration in .*mysql\/prisma\/migrations$/],
      },
    },
    {
      name: 'a migration folder without migration.sql is listed with no SQL file; files in the migrations folder are not',
      fixture: 'stray-folder',
      path: '.',
      expect: { migrations: ['20240101000000_init', '20240115000000_half_done (no migration.sql)', '20240201000000_add_name'], notices: [] },
    },
    {
      name: 'preflight.config.json paths win (with the loaded config)',
      fixture: 'config-file',
      path: '.',
      options: (dir) => ({ config: loadConfig(dir).config, configDir: dir }),
      expect: { root: '.', schemaPath: 'db/app.prisma', schemaFiles: ['db/app.prisma'], migrationsDir: 'db/history', migrations: ['20240101000000_init'], notices: [] },
    },
    {
      name: 'preflight.config.json paths win when the path is a migration inside them',
      fixture: 'config-file',
      path: 'db/history/20240101000000_init/migration.sql',
      options: (dir) => ({ config: loadConfig(dir).config, configDir: dir }),
      expect: { root: '.', schemaPath: 'db/app.prisma', migrationsDir: 'db/history', focus: { migration: '20240101000000_init', file: 'db/history/20240101000000_init/migration.sql' }, notices: [] },
    },
    {
      name: 'a configured path that does not exist is a notice',
      fixture: 'config-file',
      path: '.',
      options: (dir) => ({ config: { schema: 'db/app.prisma', migrations: 'db/nowhere' }, configDir: dir }),
      expect: { schemaPath: 'db/app.prisma', migrationsDir: null, migrations: [], notices: [/^preflight\.config\.json: "migrations": "db\/nowhere" is not a folder \(.*db\/nowhere\)$/] },
    },
    {
      name: 'a monorepo root: the one PostgreSQL migrations folder below it',
      fixture: 'monorepo',
      path: '.',
      expect: {
        root: 'packages/db',
        schemaPath: 'packages/db/prisma/schema.prisma',
        migrationsDir: 'packages/db/prisma/migrations',
        migrations: ['20240101000000_init'],
        notices: [/^no Prisma project at .*monorepo itself; reviewing the migrations found in packages\/db\/prisma\/migrations$/],
      },
    },
    {
      name: 'a path that does not exist',
      fixture: 'classic',
      path: 'prisma/migrations/29990101000000_future',
      expect: { schemaPath: null, migrationsDir: null, migrations: [], notices: [/29990101000000_future does not exist$/] },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const dir = join(FIXTURES, c.fixture);
      const project = discoverProject(join(dir, c.path), c.options?.(dir));
      const got = summary(project, dir);
      const { notices, ...expected } = c.expect;
      for (const [key, value] of Object.entries(expected)) {
        assert.deepEqual(got[key as keyof typeof got], value, `${key} of ${c.fixture}/${c.path}`);
      }
      if (notices) {
        assert.equal(project.notices.length, notices.length, project.notices.join('\n'));
        notices.forEach((re, i) => assert.match(project.notices[i], re));
      }
    });
  }

  it('migration folders come in Prisma order (localeCompare), not byte order', () => {
    const dir = temp({
      'prisma/schema.prisma': PG_SCHEMA,
      'prisma/migrations/migration_lock.toml': PG_LOCK,
      'prisma/migrations/b_2/migration.sql': 'SELECT 2;',
      'prisma/migrations/B_1/migration.sql': 'SELECT 1;',
      'prisma/migrations/a/migration.sql': 'SELECT 0;',
      'prisma/migrations/notes.md': 'not a migration',
    });
    assert.deepEqual(discoverProject(dir).migrations.map((m) => m.name), ['a', 'B_1', 'b_2']);
  });

  it('a migrations folder on its own (no schema anywhere), without package.json', () => {
    const dir = temp({ 'db/migrations/migration_lock.toml': PG_LOCK, 'db/migrations/1_init/migration.sql': 'SELECT 1;' });
    const project = discoverProject(join(dir, 'db', 'migrations', '1_init', 'migration.sql'));
    assert.deepEqual(summary(project, dir), {
      root: 'db',
      schemaPath: null,
      schemaFiles: [],
      migrationsDir: 'db/migrations',
      migrations: ['1_init'],
      provider: 'postgresql',
      focus: { migration: '1_init', file: 'db/migrations/1_init/migration.sql' },
    });
  });

  it('a migrations folder inside a multi-file schema folder, found from a migration.sql without package.json', () => {
    const dir = temp({
      'schema/main.prisma': PG_SCHEMA,
      'schema/models/user.prisma': 'model User {\n  id Int @id\n}\n',
      'schema/migrations/migration_lock.toml': PG_LOCK,
      'schema/migrations/1_init/migration.sql': 'SELECT 1;',
    });
    const project = discoverProject(join(dir, 'schema', 'migrations', '1_init', 'migration.sql'));
    assert.deepEqual([project.schemaPath, project.schemaFiles, project.migrationsDir], [
      join(dir, 'schema'),
      [join(dir, 'schema', 'main.prisma'), join(dir, 'schema', 'models', 'user.prisma')],
      join(dir, 'schema', 'migrations'),
    ]);
  });

  it('reads .config/prisma.ts where there is no prisma.config.ts', () => {
    const dir = temp({
      'package.json': '{}',
      '.config/prisma.ts': 'export default defineConfig({ schema: "../db/schema.prisma", migrations: { path: "../db/sql" } });',
      'db/schema.prisma': PG_SCHEMA,
      'db/sql/migration_lock.toml': PG_LOCK,
      'db/sql/1_init/migration.sql': 'SELECT 1;',
    });
    const project = discoverProject(dir);
    assert.deepEqual([project.schemaPath, project.migrationsDir, project.migrations.length], [join(dir, 'db', 'schema.prisma'), join(dir, 'db', 'sql'), 1]);
  });

  it('no migration_lock.toml: the provider comes from the schema, else a notice', () => {
    const dir = temp({ 'prisma/schema.prisma': PG_SCHEMA, 'prisma/migrations/1_init/migration.sql': 'SELECT 1;' });
    const project = discoverProject(dir);
    assert.equal(project.provider, 'postgresql');
    assert.deepEqual(project.notices, []);
    writeFileSync(join(dir, 'prisma', 'schema.prisma'), 'model A {\n  id Int @id\n}\n');
    const bare = discoverProject(dir);
    assert.equal(bare.provider, null);
    assert.deepEqual(bare.migrations.map((m) => m.name), ['1_init']);
    assert.match(bare.notices.join('\n'), /^no provider in .*migration_lock\.toml or in the schema's datasource block: assuming the migrations are for PostgreSQL$/);
  });

  it('the Prisma version is detected from the project root, and the override wins', () => {
    const dir = temp({
      'package.json': JSON.stringify({ devDependencies: { prisma: '^7.2.0' } }),
      'node_modules/prisma/package.json': JSON.stringify({ name: 'prisma', version: '7.4.1' }),
      'prisma/schema.prisma': PG_SCHEMA,
      'prisma/migrations/migration_lock.toml': PG_LOCK,
      'prisma/migrations/1_init/migration.sql': 'SELECT 1;',
    });
    const migrationSql = join(dir, 'prisma', 'migrations', '1_init', 'migration.sql');
    assert.deepEqual(discoverProject(migrationSql).prismaVersion, { version: '7.4.1', source: 'installed', detail: 'installed: node_modules/prisma/package.json 7.4.1' });
    assert.deepEqual(discoverProject(migrationSql, { config: { prismaVersion: '7.3.0' } }).prismaVersion, {
      version: '7.3.0',
      source: 'config',
      detail: 'preflight.config.json: prismaVersion 7.3.0',
    });
    assert.deepEqual(discoverProject(migrationSql, { config: { prismaVersion: '7.3.0' }, prismaVersion: '6.19.0' }).prismaVersion, {
      version: '6.19.0',
      source: 'override',
      detail: 'override: 6.19.0',
    });
  });
});

describeWithCorpus('project: discoverProject on the corpus', () => {
  const stats: { repos: Record<string, { migrations: number; first_migration: string; last_migration: string; schema_files: number }> } = JSON.parse(
    readFileSync(join(CORPUS, 'stats.json'), 'utf8'),
  );
  it('covers the 10 corpus repositories', () => assert.equal(Object.keys(stats.repos).length, 10));
  for (const [repo, s] of Object.entries(stats.repos)) {
    it(`${repo}: ${s.migrations} migrations, the schema, PostgreSQL`, () => {
      const dir = join(CORPUS, repo);
      const singleFile = existsSync(join(dir, 'schema.prisma'));
      const project = discoverProject(dir);
      assert.equal(project.root, dir);
      assert.equal(project.migrationsDir, join(dir, 'migrations'));
      assert.equal(project.migrations.length, s.migrations);
      assert.equal(project.migrations[0].name, s.first_migration);
      assert.equal(project.migrations.at(-1)?.name, s.last_migration);
      assert.ok(project.migrations.every((m) => m.sqlFile === join(m.dir, 'migration.sql')));
      assert.equal(project.provider, 'postgresql');
      assert.equal(project.schemaPath, join(dir, singleFile ? 'schema.prisma' : 'schema'));
      assert.equal(project.schemaFiles.length, s.schema_files);
      assert.deepEqual(project.notices, []);

      const last = project.migrations.at(-1)!;
      const fromFile = discoverProject(last.sqlFile!);
      assert.deepEqual(
        { migrationsDir: fromFile.migrationsDir, schemaPath: fromFile.schemaPath, count: fromFile.migrations.length, focus: fromFile.focus },
        { migrationsDir: project.migrationsDir, schemaPath: project.schemaPath, count: s.migrations, focus: { migration: last.name, file: last.sqlFile } },
      );
    });
  }
});

describe('project: prisma.config.ts read as text', () => {
  const BASE = join(tmpdir(), 'app');
  const cases: { name: string; text: string; schema?: string; migrations?: string; unreadable?: string[] }[] = [
    {
      name: 'defineConfig with string literals',
      text: `import { defineConfig, env } from "prisma/config";\nexport default defineConfig({\n  schema: "prisma/schema.prisma",\n  migrations: { path: "prisma/migrations", seed: "tsx prisma/seed.ts" },\n  datasource: { url: env("DATABASE_URL") },\n});`,
      schema: 'prisma/schema.prisma',
      migrations: 'prisma/migrations',
    },
    {
      name: 'an object exported with satisfies PrismaConfig',
      text: `import type { PrismaConfig } from "prisma";\nexport default {\n  schema: 'db/schema.prisma',\n  migrations: { path: 'db/migrations' },\n} satisfies PrismaConfig;`,
      schema: 'db/schema.prisma',
      migrations: 'db/migrations',
    },
    {
      name: 'path.join and __dirname',
      text: `import path from "node:path";\nexport default defineConfig({ schema: path.join("prisma", "schema"), migrations: { path: path.join(__dirname, "db", "migrations") } });`,
      schema: 'prisma/schema',
      migrations: 'db/migrations',
    },
    {
      name: 'constants, a shorthand property, join() and import.meta.dirname',
      text: `import { join } from "node:path";\nconst schema = 'x/schema.prisma';\nconst dir = join(import.meta.dirname, 'sql');\nexport default defineConfig({ schema, migrations: { path: dir } });`,
      schema: 'x/schema.prisma',
      migrations: 'sql',
    },
    {
      name: 'a typed constant exported by name',
      text: `const config: PrismaConfig = {\n  schema: \`prisma/app.prisma\`,\n};\nexport default config;`,
      schema: 'prisma/app.prisma',
    },
    {
      name: 'CommonJS with + concatenation and path.resolve',
      text: `const path = require("path");\nmodule.exports = { schema: __dirname + "/s.prisma", migrations: { path: path.resolve("m") } };`,
      schema: 's.prisma',
      migrations: 'm',
    },
    {
      name: 'commented-out settings and nested keys of the same name are not read',
      text: `export default defineConfig({\n  // schema: "wrong.prisma",\n  /* migrations: { path: "wrong" }, */\n  views: { path: "db/views" },\n  experimental: { schema: "no" },\n});`,
    },
    {
      name: 'values that need running the file',
      text: `export default defineConfig({ schema: process.env.SCHEMA, migrations: { path: \`\${root}/m\` } });`,
      unreadable: ['schema: process.env.SCHEMA', 'migrations.path: `${root}/m`'],
    },
    { name: 'no findable config object', text: `export default makeConfig({ schema: "x.prisma" });`, unreadable: ['config: '] },
    { name: 'no schema and no migrations', text: `export default defineConfig({ datasource: { url: env("DATABASE_URL") } });` },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const read = readPrismaConfigPaths(c.text, BASE);
      assert.equal(read.schema, c.schema === undefined ? undefined : join(BASE, c.schema));
      assert.equal(read.migrationsPath, c.migrations === undefined ? undefined : join(BASE, c.migrations));
      assert.deepEqual(
        read.unreadable.map((u) => `${u.setting}: ${u.source}`),
        c.unreadable ?? [],
      );
    });
  }
});

describe('project: Prisma version', () => {
  const cases: { name: string; files: Record<string, string>; at?: string; override?: string; config?: string; expect: { version: string | null; source: string; detail: string } }[] = [
    {
      name: 'installed node_modules/prisma beats the package.json range',
      files: { 'package.json': JSON.stringify({ devDependencies: { prisma: '^7.2.0' } }), 'node_modules/prisma/package.json': '{"version":"7.4.1"}' },
      expect: { version: '7.4.1', source: 'installed', detail: 'installed: node_modules/prisma/package.json 7.4.1' },
    },
    {
      name: 'installed in a folder above (hoisted by a workspace)',
      files: { 'node_modules/prisma/package.json': '{"version":"7.3.0"}', 'packages/db/package.json': JSON.stringify({ devDependencies: { prisma: '^7.0.0' } }) },
      at: 'packages/db',
      expect: { version: '7.3.0', source: 'installed', detail: 'installed: ../../node_modules/prisma/package.json 7.3.0' },
    },
    {
      name: 'not installed: the lowest version the range allows',
      files: { 'package.json': JSON.stringify({ dependencies: { prisma: '^7.2.0' } }) },
      expect: { version: '7.2.0', source: 'package.json', detail: 'package.json: prisma "^7.2.0", lowest allowed 7.2.0; not installed' },
    },
    {
      name: 'a range without a lowest version',
      files: { 'package.json': JSON.stringify({ devDependencies: { prisma: 'latest', '@prisma/client': '7.1.0' } }) },
      expect: { version: null, source: 'unknown', detail: 'package.json: prisma "latest" names no lowest version, and prisma is not installed' },
    },
    {
      name: '@prisma/client only when there is no prisma package',
      files: { 'package.json': JSON.stringify({ dependencies: { '@prisma/client': '~6.19.0' } }) },
      expect: {
        version: '6.19.0',
        source: 'package.json',
        detail: 'package.json: @prisma/client "~6.19.0", lowest allowed 6.19.0; not installed (@prisma/client; the project has no prisma package, so the prisma CLI is assumed to have the same version)',
      },
    },
    {
      name: 'the package.json range of a folder above',
      files: { 'package.json': JSON.stringify({ devDependencies: { prisma: '>=6.16 <8' } }), 'apps/web/package.json': JSON.stringify({ dependencies: { next: '15' } }) },
      at: 'apps/web',
      expect: { version: '6.16.0', source: 'package.json', detail: '../../package.json: prisma ">=6.16 <8", lowest allowed 6.16.0; not installed' },
    },
    {
      name: 'the config beats the installed version',
      files: { 'node_modules/prisma/package.json': '{"version":"7.4.1"}' },
      config: '7.3.0',
      expect: { version: '7.3.0', source: 'config', detail: 'preflight.config.json: prismaVersion 7.3.0' },
    },
    {
      name: 'the override beats everything',
      files: { 'node_modules/prisma/package.json': '{"version":"7.4.1"}' },
      config: '7.3.0',
      override: '7.8.0',
      expect: { version: '7.8.0', source: 'override', detail: 'override: 7.8.0' },
    },
    {
      name: 'nothing to go by',
      files: { 'package.json': '{ "name": "x" }' },
      expect: { version: null, source: 'unknown', detail: 'no node_modules/prisma and no prisma dependency in package.json' },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const dir = temp(c.files);
      assert.deepEqual(detectPrismaVersion(join(dir, c.at ?? '.'), c.override, c.config), c.expect);
    });
  }

  const ranges: [string, string | null][] = [
    ['^7.2.0', '7.2.0'],
    ['~6.1', '6.1.0'],
    ['>=5 <8', '5.0.0'],
    ['>= 5.1.0 < 8', '5.1.0'],
    ['7.4.0-dev.3', '7.4.0-dev.3'],
    ['^7.4.0-dev.3', '7.4.0-dev.3'],
    ['7.3.0', '7.3.0'],
    ['=7.3.0', '7.3.0'],
    ['v7.3.0', '7.3.0'],
    ['7', '7.0.0'],
    ['7.x', '7.0.0'],
    ['6.*', '6.0.0'],
    ['>7.3.0', '7.3.1'],
    ['>7.3', '7.4.0'],
    ['>6', '7.0.0'],
    ['^6 || ^7.1', '6.0.0'],
    ['6.1.0 - 7.2.0', '6.1.0'],
    ['>=6.2 >=6.10', '6.10.0'],
    ['npm:prisma@^7.1.0', '7.1.0'],
    ['latest', null],
    ['next', null],
    ['*', null],
    ['', null],
    ['<8', null],
    ['^6 || *', null],
    ['workspace:*', null],
    ['catalog:', null],
    ['github:prisma/prisma#main', null],
    ['git+https://github.com/prisma/prisma.git', null],
    ['file:../prisma', null],
  ];
  for (const [range, expected] of ranges) {
    it(`minimumVersionOfRange(${JSON.stringify(range)}) is ${expected}`, () => assert.equal(minimumVersionOfRange(range), expected));
  }

  const comparisons: [string, string, -1 | 0 | 1][] = [
    ['7.3.0', '7.4.0', -1],
    ['7.10.0', '7.9.9', 1],
    ['7.4.0-dev.3', '7.4.0', -1],
    ['7.4.0-dev.3', '7.4.0-dev.10', -1],
    ['7.4.0-dev.3', '7.4.0-dev.a', -1],
    ['7.4.0-dev', '7.4.0-dev.1', -1],
    ['7.4', '7.4.0', 0],
    ['7', '7.0.0', 0],
    ['v7.3.0', '7.3.0', 0],
    ['6.19.1', '7.0.0', -1],
  ];
  for (const [a, b, sign] of comparisons) {
    it(`compareVersions(${a}, ${b}) is ${sign < 0 ? 'negative' : sign > 0 ? 'positive' : 0}`, () => {
      assert.equal(Math.sign(compareVersions(a, b)), sign);
      assert.equal(Math.sign(compareVersions(b, a)), sign === 0 ? 0 : -sign);
    });
  }
});

describe('migration folder order', () => {
  it('compareMigrationNames orders like localeCompare (Prisma), without starting the collator for timestamped names', () => {
    const r = rng(20261122);
    const alphabet = ['0', '1', '2', '9', 'a', 'A', 'b', 'Z', '_', '-', '.', 'é', ' '];
    const word = () => Array.from({ length: Math.floor(r() * 6) }, () => alphabet[Math.floor(r() * alphabet.length)]).join('');
    const stamp = () => `2025${String(Math.floor(r() * 1e10)).padStart(10, '0')}`;
    let checked = 0;
    for (let k = 0; k < 20_000; k++) {
      const a = r() < 0.5 ? `${stamp()}_${word()}` : word();
      const b = r() < 0.3 ? a.slice(0, Math.floor(r() * a.length)) + word() : r() < 0.5 ? `${stamp()}_${word()}` : word();
      assert.equal(Math.sign(compareMigrationNames(a, b)), Math.sign(a.localeCompare(b)), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
      checked++;
    }
    assert.equal(checked, 20_000);
    const names = ['20250114093012_init', '20250203141527_b', '20250203141527_a', '20240101000000_x'];
    assert.deepEqual([...names].sort(compareMigrationNames), [...names].sort((x, y) => x.localeCompare(y)));
  });
});
