import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { escapeData, escapeProperty, toGithubAnnotations } from '../../src/cli/format/github';
import { toJsonReport, type JsonReportV2 } from '../../src/cli/format/json';
import { displayWidth, shouldUseColor, toPretty, visible } from '../../src/cli/format/pretty';
import { toSarif } from '../../src/cli/format/sarif';
import { renderRuleDoc, ruleDocUrl } from '../../src/core/rules/docs';
import { RULES } from '../../src/core/rules/index';
import { LineIndex } from '../../src/core/text/line-index';
import type { AnalysisResult, RuleMeta, Severity, SourceRange } from '../../src/core/types';

const ROOT = path.join(__dirname, '..', '..');
const CWD = path.resolve('/repo/shop');
const MIGRATIONS = path.join(CWD, 'prisma', 'migrations');

// ---------------------------------------------------------------------------------------------
// A hand-built analysis: two migrations (one with a non-ASCII folder name) and a schema finding.

const INIT = '20250101000000_init';
const INIT_FILE = path.join(MIGRATIONS, INIT, 'migration.sql');
const INIT_SQL = `-- CreateTable
CREATE TABLE "LegacyOrder" (
    "id" SERIAL NOT NULL,
    CONSTRAINT "LegacyOrder_pkey" PRIMARY KEY ("id")
);
`;

const CHANGE = '20250301000000_añadir_índice';
const CHANGE_FILE = path.join(MIGRATIONS, CHANGE, 'migration.sql');
const CHANGE_SQL = `-- DropTable
DROP TABLE "LegacyOrder";

-- CreateIndex
CREATE INDEX "Café_名前_idx" ON "Café"("名前");
`;

const SCHEMA_FILE = path.join(CWD, 'prisma', 'schema.prisma');
const SCHEMA = `model Post {
  id       Int  @id
  authorId Int
  author   User @relation(fields: [authorId], references: [id], onDelete: Cascade)
}
`;

const FILES = new Map([
  [INIT_FILE, INIT_SQL],
  [CHANGE_FILE, CHANGE_SQL],
  [SCHEMA_FILE, SCHEMA],
]);
const readFile = (f: string) => FILES.get(f) ?? null;

/** The range of the first occurrence of `needle` in `text`. */
function rangeOf(text: string, needle: string): SourceRange {
  const at = text.indexOf(needle);
  assert.ok(at >= 0, `fixture text lacks ${needle}`);
  return new LineIndex(text).range(at, at + needle.length);
}

const DROP = 'DROP TABLE "LegacyOrder";';
const INDEX = 'CREATE INDEX "Café_名前_idx" ON "Café"("名前");';
const CREATE = CHANGE_SQL.indexOf('CREATE INDEX ') + 'CREATE INDEX '.length;

function fixture(): AnalysisResult {
  return {
    prismaVersion: '7.3.0',
    notices: ['preflight.config.json: unknown rule "drop-everything" in "rules"'],
    migrations: [
      {
        name: INIT,
        file: INIT_FILE,
        execution: { mode: 'split', reason: 'Prisma 7.4.0 runs the file statement by statement' },
        statements: [
          {
            index: 0,
            range: rangeOf(INIT_SQL, INIT_SQL.slice(INIT_SQL.indexOf('CREATE'), INIT_SQL.indexOf(');') + 2)),
            facts: { kind: 'CreateStmt', locks: [{ table: 'public.LegacyOrder', mode: 'AccessExclusiveLock' }], rewrites: [], newTables: ['public.LegacyOrder'] },
          },
        ],
      },
      {
        name: CHANGE,
        file: CHANGE_FILE,
        execution: { mode: 'batch', reason: 'Prisma 7.3.0 sends the whole file as one batch' },
        statements: [
          { index: 0, range: rangeOf(CHANGE_SQL, DROP), facts: { kind: 'DropStmt', locks: [{ table: 'public.LegacyOrder', mode: 'AccessExclusiveLock' }], rewrites: [], newTables: [] } },
          { index: 1, range: rangeOf(CHANGE_SQL, INDEX), facts: { kind: 'CreateIndexStmt', locks: [{ table: 'public.Café', mode: 'ShareLock' }], rewrites: [], newTables: [] } },
        ],
      },
    ],
    findings: [
      {
        rule: 'drop-table',
        severity: 'error',
        file: CHANGE_FILE,
        migration: CHANGE,
        range: rangeOf(CHANGE_SQL, DROP),
        message: 'Drops table "LegacyOrder": 100% of its rows are lost,\nand running instances that query it fail.',
        help: 'Back up first, then drop it in a later release.',
        related: [{ file: INIT_FILE, range: rangeOf(INIT_SQL, 'CREATE TABLE "LegacyOrder"'), message: '"LegacyOrder" was created in 20250101000000_init' }],
        statementIndex: 0,
      },
      {
        rule: 'non-concurrent-index',
        severity: 'warning',
        file: CHANGE_FILE,
        migration: CHANGE,
        range: rangeOf(CHANGE_SQL, INDEX),
        message: 'Creates index "Café_名前_idx" without CONCURRENTLY: writes to "Café" wait for the whole build (ShareLock).',
        help: 'Add CONCURRENTLY, in a migration of its own.',
        fixes: [
          { title: 'Add CONCURRENTLY', safe: false, edits: [{ file: CHANGE_FILE, startOffset: CREATE, endOffset: CREATE, newText: 'CONCURRENTLY ' }] },
          {
            title: 'Move the index to a migration of its own',
            safe: true,
            edits: [{ file: CHANGE_FILE, startOffset: CHANGE_SQL.indexOf(INDEX), endOffset: CHANGE_SQL.indexOf(INDEX) + INDEX.length, newText: '' }],
            newFiles: [{ file: path.join(MIGRATIONS, '20250301000001_index', 'migration.sql'), content: 'CREATE INDEX CONCURRENTLY "Café_名前_idx" ON "Café"("名前");\n' }],
          },
        ],
        statementIndex: 1,
      },
      {
        rule: 'prisma-schema-drift',
        severity: 'info',
        file: SCHEMA_FILE,
        migration: null,
        range: rangeOf(SCHEMA, 'onDelete: Cascade'),
        message: 'Post.author is onDelete: Cascade here, but the database has ON DELETE RESTRICT.',
        help: 'Run `prisma migrate dev --create-only` and review the migration.',
      },
    ],
  };
}

function meta(id: string, defaultSeverity: Severity): RuleMeta {
  return {
    id,
    category: 'data-loss',
    defaultSeverity,
    fixAvailability: 'never',
    summary: `\`${id.toUpperCase()}\` of something`,
    docs: { whatItDoes: `Flags \`${id}\`.`, whyIsThisBad: 'It hurts.', example: 'DROP TABLE "A";', useInstead: 'SELECT 1;', fixSafety: 'No fix.', references: ['https://www.postgresql.org/docs/current/'] },
  };
}
const TEST_RULES = [meta('drop-table', 'error'), meta('non-concurrent-index', 'warning'), meta('prisma-schema-drift', 'warning')];

function validator(schemaFile: string): ValidateFunction {
  const ajv = new Ajv({ allErrors: true });
  addFormats(ajv);
  return ajv.compile(JSON.parse(readFileSync(schemaFile, 'utf8')));
}

function assertValid(validate: ValidateFunction, data: unknown): void {
  const ok = validate(data);
  assert.ok(ok, JSON.stringify(validate.errors, null, 2));
}

const stripAnsi = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');

// ---------------------------------------------------------------------------------------------

describe('JSON output (version 2 contract)', () => {
  const validateJson = validator(path.join(ROOT, 'docs', 'json-output.schema.json'));

  it('renders the whole report with relative / paths, 1-based positions and migration null for schema findings', () => {
    const expected: JsonReportV2 = {
      version: 2,
      prismaVersion: '7.3.0',
      migrations: [
        {
          name: INIT,
          file: `prisma/migrations/${INIT}/migration.sql`,
          mode: 'split',
          statements: [
            {
              start: { line: 2, column: 1 },
              end: { line: 5, column: 3 },
              kind: 'CreateStmt',
              locks: [{ table: 'public.LegacyOrder', mode: 'AccessExclusiveLock' }],
              rewrites: [],
              newTables: ['public.LegacyOrder'],
            },
          ],
        },
        {
          name: CHANGE,
          file: `prisma/migrations/${CHANGE}/migration.sql`,
          mode: 'batch',
          statements: [
            { start: { line: 2, column: 1 }, end: { line: 2, column: 26 }, kind: 'DropStmt', locks: [{ table: 'public.LegacyOrder', mode: 'AccessExclusiveLock' }], rewrites: [], newTables: [] },
            { start: { line: 5, column: 1 }, end: { line: 5, column: 44 }, kind: 'CreateIndexStmt', locks: [{ table: 'public.Café', mode: 'ShareLock' }], rewrites: [], newTables: [] },
          ],
        },
      ],
      findings: [
        {
          rule: 'drop-table',
          severity: 'error',
          file: `prisma/migrations/${CHANGE}/migration.sql`,
          migration: CHANGE,
          start: { line: 2, column: 1 },
          end: { line: 2, column: 26 },
          message: 'Drops table "LegacyOrder": 100% of its rows are lost,\nand running instances that query it fail.',
          help: 'Back up first, then drop it in a later release.',
        },
        {
          rule: 'non-concurrent-index',
          severity: 'warning',
          file: `prisma/migrations/${CHANGE}/migration.sql`,
          migration: CHANGE,
          start: { line: 5, column: 1 },
          end: { line: 5, column: 44 },
          message: 'Creates index "Café_名前_idx" without CONCURRENTLY: writes to "Café" wait for the whole build (ShareLock).',
          help: 'Add CONCURRENTLY, in a migration of its own.',
        },
        {
          rule: 'prisma-schema-drift',
          severity: 'info',
          file: 'prisma/schema.prisma',
          migration: null,
          start: { line: 4, column: 65 },
          end: { line: 4, column: 82 },
          message: 'Post.author is onDelete: Cascade here, but the database has ON DELETE RESTRICT.',
          help: 'Run `prisma migrate dev --create-only` and review the migration.',
        },
      ],
      notices: ['preflight.config.json: unknown rule "drop-everything" in "rules"'],
    };
    const report = toJsonReport(fixture(), CWD);
    assert.deepEqual(report, expected);
    // Key order is part of what readers see: the serialised text matches too.
    assert.equal(JSON.stringify(report), JSON.stringify(expected));
  });

  it('carries only the contract fields (no fixes, related, statementIndex, reason, offsets)', () => {
    const text = JSON.stringify(toJsonReport(fixture(), CWD));
    for (const leaked of ['fixes', 'related', 'statementIndex', 'reason', 'startOffset', 'execution', 'facts']) {
      assert.ok(!text.includes(`"${leaked}"`), `"${leaked}" leaked into the JSON report`);
    }
  });

  it('validates against docs/json-output.schema.json, as does an empty report', () => {
    assertValid(validateJson, toJsonReport(fixture(), CWD));
    assertValid(validateJson, toJsonReport({ prismaVersion: null, migrations: [], findings: [], notices: [] }, CWD));
  });

  it('the schema rejects any drift from the contract', () => {
    const good = () => JSON.parse(JSON.stringify(toJsonReport(fixture(), CWD)));
    const cases: [string, (r: any) => void][] = [
      ['an extra top-level field', (r) => (r.warnings = [])],
      ['notices missing', (r) => delete r.notices],
      ['a missing field', (r) => delete r.findings[0].help],
      ['an extra finding field', (r) => (r.findings[0].fixes = [])],
      ['version 1', (r) => (r.version = 1)],
      ['an unknown severity', (r) => (r.findings[0].severity = 'fatal')],
      ['an unknown lock mode', (r) => (r.migrations[0].statements[0].locks[0].mode = 'AccessExclusive')],
      ['a 0-based line', (r) => (r.findings[0].start.line = 0)],
      ['a Windows path', (r) => (r.findings[0].file = 'prisma\\schema.prisma')],
      ['an unknown mode', (r) => (r.migrations[0].mode = 'transaction')],
    ];
    for (const [what, mutate] of cases) {
      const r = good();
      mutate(r);
      assert.equal(validateJson(r), false, `schema accepted ${what}`);
    }
  });

  it('keeps relative paths relative and names files outside the working directory with ../', () => {
    const r = fixture();
    r.findings[0].file = 'prisma/migrations/x/migration.sql';
    r.findings[1].file = path.resolve(CWD, '..', 'shared', 'schema.prisma');
    const report = toJsonReport(r, CWD);
    assert.equal(report.findings[0].file, 'prisma/migrations/x/migration.sql');
    assert.equal(report.findings[1].file, '../shared/schema.prisma');
  });

  it('docs/json-output.md documents every field of the contract', () => {
    const doc = readFileSync(path.join(ROOT, 'docs', 'json-output.md'), 'utf8');
    for (const field of ['version', 'prismaVersion', 'migrations', 'findings', 'name', 'file', 'mode', 'statements', 'start', 'end', 'kind', 'locks', 'rewrites', 'newTables', 'rule', 'severity', 'migration', 'message', 'help']) {
      assert.match(doc, new RegExp(`^\\| (\`\\w+\`, )*\`${field}\`(, \`\\w+\`)* \\|`, 'm'), `docs/json-output.md has no row for "${field}"`);
    }
    // The example in the doc is itself a valid report.
    const example = /```json\n([\s\S]*?)```/.exec(doc);
    assert.ok(example, 'docs/json-output.md has no JSON example');
    assertValid(validateJson, JSON.parse(example[1]));
  });
});

describe('SARIF output', () => {
  const validateSarif = validator(path.join(ROOT, 'test', 'fixtures', 'sarif-schema-2.1.0.json'));

  it('is valid against the official SARIF 2.1.0 schema, with the test rules and with the real registry', () => {
    assertValid(validateSarif, toSarif(fixture(), TEST_RULES, CWD, '1.2.3'));
    assertValid(validateSarif, toSarif(fixture(), RULES.map((r) => r.meta), CWD, '1.2.3'));
    assertValid(validateSarif, toSarif({ prismaVersion: null, migrations: [], findings: [], notices: [] }, [], CWD, '0.0.0'));
  });

  it('the schema check is not vacuous: it rejects an invalid level and a missing driver name', () => {
    const log = JSON.parse(JSON.stringify(toSarif(fixture(), TEST_RULES, CWD, '1.2.3')));
    log.runs[0].results[2].level = 'info';
    assert.equal(validateSarif(log), false);
    const log2 = JSON.parse(JSON.stringify(toSarif(fixture(), TEST_RULES, CWD, '1.2.3')));
    delete log2.runs[0].tool.driver.name;
    assert.equal(validateSarif(log2), false);
  });

  it('describes the tool and every rule from its metadata and docs', () => {
    const log = toSarif(fixture(), TEST_RULES, CWD, '1.2.3');
    assert.equal(log.version, '2.1.0');
    const driver = log.runs[0].tool.driver;
    assert.equal(driver.name, 'preflight');
    assert.equal(driver.version, '1.2.3');
    assert.equal(driver.informationUri, 'https://github.com/preflight-dev/preflight');
    assert.deepEqual(
      driver.rules?.map((r) => r.id),
      TEST_RULES.map((r) => r.id),
    );
    const rule = driver.rules![0];
    assert.deepEqual(rule.shortDescription, { text: 'DROP-TABLE of something', markdown: '`DROP-TABLE` of something' });
    assert.deepEqual(rule.fullDescription, { text: 'Flags drop-table.', markdown: 'Flags `drop-table`.' });
    assert.equal(rule.help?.markdown, renderRuleDoc(TEST_RULES[0]));
    assert.match(rule.help?.text ?? '', /^Flags drop-table\.\n\nIt hurts\./);
    assert.equal(rule.helpUri, ruleDocUrl('drop-table'));
    assert.deepEqual(driver.rules?.map((r) => r.defaultConfiguration?.level), ['error', 'warning', 'warning']);
  });

  it('maps each finding to a result: rule index, level, message + help, relative %SRCROOT% location', () => {
    const run = toSarif(fixture(), TEST_RULES, CWD, '1.2.3').runs[0];
    assert.deepEqual(run.originalUriBaseIds, { '%SRCROOT%': { uri: `${pathToFileURL(CWD).href}/` } });
    assert.equal(run.columnKind, 'utf16CodeUnits');
    const results = run.results!;
    assert.deepEqual(
      results.map((r) => [r.ruleId, r.ruleIndex, r.level]),
      [
        ['drop-table', 0, 'error'],
        ['non-concurrent-index', 1, 'warning'],
        ['prisma-schema-drift', 2, 'note'],
      ],
    );
    assert.equal(results[0].message.text, 'Drops table "LegacyOrder": 100% of its rows are lost,\nand running instances that query it fail. Back up first, then drop it in a later release.');
    assert.deepEqual(results[1].locations, [
      {
        physicalLocation: {
          artifactLocation: { uri: 'prisma/migrations/20250301000000_a%C3%B1adir_%C3%ADndice/migration.sql', uriBaseId: '%SRCROOT%' },
          region: { startLine: 5, startColumn: 1, endLine: 5, endColumn: 44, charOffset: CHANGE_SQL.indexOf(INDEX), charLength: INDEX.length },
        },
      },
    ]);
    assert.equal(results[2].locations?.[0].physicalLocation?.artifactLocation?.uri, 'prisma/schema.prisma');
    assert.deepEqual(results[2].properties, { migration: null });
  });

  it('leaves ruleIndex out for a rule the driver does not list', () => {
    const result = toSarif(fixture(), TEST_RULES.slice(0, 1), CWD, '1.2.3').runs[0].results![1];
    assert.equal(result.ruleId, 'non-concurrent-index');
    assert.equal('ruleIndex' in result, false);
  });

  it('carries related locations and fixes (offsets as character regions, new files as insertions)', () => {
    const [drop, index] = toSarif(fixture(), TEST_RULES, CWD, '1.2.3').runs[0].results!;
    assert.deepEqual(drop.relatedLocations, [
      {
        id: 1,
        physicalLocation: {
          artifactLocation: { uri: 'prisma/migrations/20250101000000_init/migration.sql', uriBaseId: '%SRCROOT%' },
          region: { startLine: 2, startColumn: 1, endLine: 2, endColumn: 27, charOffset: 15, charLength: 26 },
        },
        message: { text: '"LegacyOrder" was created in 20250101000000_init' },
      },
    ]);
    assert.equal(drop.fixes, undefined);
    const changeUri = 'prisma/migrations/20250301000000_a%C3%B1adir_%C3%ADndice/migration.sql';
    assert.deepEqual(index.fixes, [
      {
        description: { text: 'Add CONCURRENTLY (unsafe fix)' },
        artifactChanges: [{ artifactLocation: { uri: changeUri, uriBaseId: '%SRCROOT%' }, replacements: [{ deletedRegion: { charOffset: CREATE, charLength: 0 }, insertedContent: { text: 'CONCURRENTLY ' } }] }],
        properties: { safe: false },
      },
      {
        description: { text: 'Move the index to a migration of its own (safe fix)' },
        artifactChanges: [
          { artifactLocation: { uri: changeUri, uriBaseId: '%SRCROOT%' }, replacements: [{ deletedRegion: { charOffset: CHANGE_SQL.indexOf(INDEX), charLength: INDEX.length } }] },
          {
            artifactLocation: { uri: 'prisma/migrations/20250301000001_index/migration.sql', uriBaseId: '%SRCROOT%' },
            replacements: [{ deletedRegion: { charOffset: 0, charLength: 0 }, insertedContent: { text: 'CREATE INDEX CONCURRENTLY "Café_名前_idx" ON "Café"("名前");\n' } }],
          },
        ],
        properties: { safe: true },
      },
    ]);
  });

  it('reports the notices as tool execution notifications', () => {
    const run = toSarif(fixture(), TEST_RULES, CWD, '1.2.3').runs[0];
    assert.deepEqual(run.invocations, [{ executionSuccessful: true, toolExecutionNotifications: [{ level: 'note', message: { text: 'preflight.config.json: unknown rule "drop-everything" in "rules"' } }] }]);
  });

  it('fingerprints survive a line shift and tell identical findings apart', () => {
    const before = toSarif(fixture(), TEST_RULES, CWD, '1.2.3').runs[0].results!;
    const shifted = fixture();
    for (const f of shifted.findings) f.range = { ...f.range, start: { ...f.range.start, line: f.range.start.line + 3 }, end: { ...f.range.end, line: f.range.end.line + 3 } };
    const after = toSarif(shifted, TEST_RULES, CWD, '1.2.3').runs[0].results!;
    assert.deepEqual(
      after.map((r) => r.partialFingerprints),
      before.map((r) => r.partialFingerprints),
    );
    const twice = fixture();
    twice.findings = [twice.findings[0], { ...twice.findings[0] }];
    const [a, b] = toSarif(twice, TEST_RULES, CWD, '1.2.3').runs[0].results!;
    assert.notEqual(a.partialFingerprints!['preflightFinding/v1'], b.partialFingerprints!['preflightFinding/v1']);
    assert.equal(new Set(before.map((r) => r.partialFingerprints!['preflightFinding/v1'])).size, 3);
  });
});

describe('GitHub workflow annotations', () => {
  it('writes one command per finding: error / warning / notice, escaped data and properties', () => {
    assert.equal(
      toGithubAnnotations(fixture(), CWD),
      [
        `::error file=prisma/migrations/${CHANGE}/migration.sql,line=2,col=1,endLine=2,endColumn=26,title=drop-table::Drops table "LegacyOrder": 100%25 of its rows are lost,%0Aand running instances that query it fail. Back up first, then drop it in a later release.`,
        `::warning file=prisma/migrations/${CHANGE}/migration.sql,line=5,col=1,endLine=5,endColumn=44,title=non-concurrent-index::Creates index "Café_名前_idx" without CONCURRENTLY: writes to "Café" wait for the whole build (ShareLock). Add CONCURRENTLY, in a migration of its own.`,
        '::notice file=prisma/schema.prisma,line=4,col=65,endLine=4,endColumn=82,title=prisma-schema-drift::Post.author is onDelete: Cascade here, but the database has ON DELETE RESTRICT. Run prisma migrate dev --create-only and review the migration.',
        '',
      ].join('\n'),
    );
  });

  it('writes nothing when there is no finding', () => {
    assert.equal(toGithubAnnotations({ prismaVersion: null, migrations: [], findings: [], notices: ['x'] }, CWD), '');
  });

  it('leaves the columns out of an annotation that spans lines (GitHub rejects them there)', () => {
    const r = fixture();
    r.findings = [{ ...r.findings[0], range: new LineIndex(CHANGE_SQL).range(CHANGE_SQL.indexOf(DROP), CHANGE_SQL.indexOf(INDEX) + 6) }];
    assert.match(toGithubAnnotations(r, CWD), /^::error file=[^,]+,line=2,endLine=5,title=drop-table::/);
  });

  it('escapes a path with : and , in the file property', () => {
    const r = fixture();
    r.findings = [{ ...r.findings[2], file: path.join(CWD, 'db:main,v2', 'schema.prisma') }];
    assert.match(toGithubAnnotations(r, CWD), /^::notice file=db%3Amain%2Cv2\/schema\.prisma,line=4,/);
  });

  const cases: [string, string, string][] = [
    // input, data, property
    ['plain text', 'plain text', 'plain text'],
    ['100%', '100%25', '100%25'],
    ['%0A is not a newline', '%250A is not a newline', '%250A is not a newline'],
    ['a\nb', 'a%0Ab', 'a%0Ab'],
    ['a\r\nb', 'a%0D%0Ab', 'a%0D%0Ab'],
    ['key: value, more', 'key: value, more', 'key%3A value%2C more'],
    ['::error::', '::error::', '%3A%3Aerror%3A%3A'],
    ['ünïcödé 名前', 'ünïcödé 名前', 'ünïcödé 名前'],
  ];
  for (const [input, data, property] of cases) {
    it(`escapes ${JSON.stringify(input)} as data and as a property`, () => {
      assert.equal(escapeData(input), data);
      assert.equal(escapeProperty(input), property);
    });
  }
});

describe('pretty output', () => {
  const EXPECTED = [
    'error[drop-table]: Drops table "LegacyOrder": 100% of its rows are lost,',
    'and running instances that query it fail.',
    ` --> prisma/migrations/${CHANGE}/migration.sql:2:1`,
    '  |',
    '2 | DROP TABLE "LegacyOrder";',
    '  | ^^^^^^^^^^^^^^^^^^^^^^^^^',
    '  |',
    '  = help: Back up first, then drop it in a later release.',
    `  = note: "LegacyOrder" was created in 20250101000000_init (prisma/migrations/${INIT}/migration.sql:2:1)`,
    '',
    'warning[non-concurrent-index]: Creates index "Café_名前_idx" without CONCURRENTLY: writes to "Café" wait for the whole build (ShareLock).',
    ` --> prisma/migrations/${CHANGE}/migration.sql:5:1`,
    '  |',
    '5 | CREATE INDEX "Café_名前_idx" ON "Café"("名前");',
    // 43 UTF-16 units, 47 terminal columns: each of 名, 前 (twice) takes two.
    '  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^',
    '  |',
    '  = help: Add CONCURRENTLY, in a migration of its own.',
    '  = fix (unsafe): Add CONCURRENTLY',
    '  = fix (safe): Move the index to a migration of its own',
    '',
    'info[prisma-schema-drift]: Post.author is onDelete: Cascade here, but the database has ON DELETE RESTRICT.',
    ' --> prisma/schema.prisma:4:65',
    '  |',
    '4 |   author   User @relation(fields: [authorId], references: [id], onDelete: Cascade)',
    `  | ${' '.repeat(64)}${'^'.repeat(17)}`, // `onDelete: Cascade` starts at column 65
    '  |',
    '  = help: Run `prisma migrate dev --create-only` and review the migration.',
    '',
    '1 error, 1 warning, 1 info in 2 migrations',
    '',
  ].join('\n');

  it('renders each finding with its code frame, help, fixes and related notes, then a summary (the notices go to stderr)', () => {
    assert.equal(toPretty(fixture(), CWD, { color: false, readFile }), EXPECTED);
  });

  it('leaves the summary line out when asked (--quiet)', () => {
    assert.equal(toPretty(fixture(), CWD, { color: false, readFile, summary: false }), EXPECTED.replace('1 error, 1 warning, 1 info in 2 migrations\n', ''));
  });

  it('with colour, paints severities, gutter and carets in ANSI and says the same text', () => {
    const out = toPretty(fixture(), CWD, { color: true, readFile });
    assert.ok(out.includes('\x1b[1;31merror[drop-table]\x1b[0m'), 'error label in bold red');
    assert.ok(out.includes('\x1b[1;33mwarning[non-concurrent-index]\x1b[0m'), 'warning label in bold yellow');
    assert.ok(out.includes('\x1b[1;36minfo[prisma-schema-drift]\x1b[0m'), 'info label in bold cyan');
    assert.ok(out.includes('\x1b[1;31m^^^^^^^^^^^^^^^^^^^^^^^^^\x1b[0m'), 'error carets in red');
    assert.ok(out.includes('\x1b[1;34m-->\x1b[0m'), 'arrow in blue');
    assert.equal(stripAnsi(out), EXPECTED);
  });

  it('without colour, writes no escape sequence at all', () => {
    assert.ok(!toPretty(fixture(), CWD, { color: false, readFile }).includes('\x1b'));
  });

  it('shows no code frame when the file cannot be read, and still the location and help', () => {
    const r = fixture();
    r.findings = [r.findings[0]];
    r.notices = [];
    assert.equal(
      toPretty(r, CWD, { color: false, readFile: () => null }),
      [
        'error[drop-table]: Drops table "LegacyOrder": 100% of its rows are lost,',
        'and running instances that query it fail.',
        ` --> prisma/migrations/${CHANGE}/migration.sql:2:1`,
        '  = help: Back up first, then drop it in a later release.',
        `  = note: "LegacyOrder" was created in 20250101000000_init (prisma/migrations/${INIT}/migration.sql:2:1)`,
        '',
        '1 error, 0 warnings, 0 infos in 2 migrations',
        '',
      ].join('\n'),
    );
  });

  it('underlines each line of a multi-line range and caps the frame with ... (line numbers right-aligned)', () => {
    const sql = `${'-- x\n'.repeat(6)}ALTER TABLE "Product"\n\tADD COLUMN "a" INT,\n    ADD COLUMN "b" INT,\n\n    ADD COLUMN "c" INT,\n    ADD COLUMN "d" INT,\n    ADD COLUMN "e" INT;\n`;
    const file = path.join(CWD, 'm.sql');
    const statement = sql.slice(sql.indexOf('ALTER'), sql.indexOf('"e" INT;') + 8);
    const r: AnalysisResult = { prismaVersion: null, notices: [], migrations: [], findings: [{ rule: 'r', severity: 'warning', file, migration: 'm', range: rangeOf(sql, statement), message: 'm', help: '' }] };
    assert.equal(
      toPretty(r, CWD, { color: false, readFile: () => sql }),
      [
        'warning[r]: m',
        '  --> m.sql:7:1',
        '   |',
        ' 7 | ALTER TABLE "Product"',
        '   | ^^^^^^^^^^^^^^^^^^^^^',
        ' 8 |     ADD COLUMN "a" INT,',
        '   |     ^^^^^^^^^^^^^^^^^^^',
        ' 9 |     ADD COLUMN "b" INT,',
        '   |     ^^^^^^^^^^^^^^^^^^^',
        '10 |',
        '11 |     ADD COLUMN "c" INT,',
        '   |     ^^^^^^^^^^^^^^^^^^^',
        '...',
        '   |',
        '',
        '0 errors, 1 warning, 0 infos in 0 migrations',
        '',
      ].join('\n'),
    );
  });

  it('shows control characters from the workspace as symbols, never as raw escapes', () => {
    const sql = 'DROP TABLE "evil\x1b[2J";\n';
    const r: AnalysisResult = {
      prismaVersion: null,
      notices: ['bell\x07'],
      migrations: [],
      findings: [{ rule: 'drop-table', severity: 'error', file: path.join(CWD, 'm\x1b[1m.sql'), migration: 'm', range: rangeOf(sql, sql.trimEnd()), message: 'Drops "evil\x1b[2J"', help: '' }],
    };
    const out = toPretty(r, CWD, { color: false, readFile: () => sql });
    assert.ok(!/[\x00-\x09\x0b-\x1f\x7f]/.test(out), JSON.stringify(out));
    assert.ok(out.includes('1 | DROP TABLE "evil\u241b[2J";\n  | ^^^^^^^^^^^^^^^^^^^^^^\n'), out);
    assert.equal(visible('bell\x07'), 'bell\u2407', 'notices (on stderr) are made visible the same way');
    assert.ok(out.includes(' --> m\u241b[1m.sql:1:1\n'), out);
  });

  it('says so when there is no problem', () => {
    assert.equal(toPretty({ prismaVersion: null, notices: [], migrations: fixture().migrations, findings: [] }, CWD, { color: false, readFile }), 'No problems found in 2 migrations\n');
    assert.equal(toPretty({ prismaVersion: null, notices: [], migrations: fixture().migrations.slice(1), findings: [] }, CWD, { color: false, readFile }), 'No problems found in 1 migration\n');
  });

  it('counts columns as a terminal shows them', () => {
    const cases: [string, number][] = [
      ['abc', 3],
      ['Café', 4],
      ['Cafe\u0301', 4], // e + combining acute accent
      ['名前', 4],
      ['\t', 4],
      ['🙂', 2],
      ['', 0],
    ];
    for (const [text, width] of cases) assert.equal(displayWidth(text), width, JSON.stringify(text));
  });

  describe('shouldUseColor (https://no-color.org, FORCE_COLOR)', () => {
    const cases: [Record<string, string | undefined>, boolean, boolean, string][] = [
      [{}, true, true, 'a terminal'],
      [{}, false, false, 'a pipe'],
      [{ NO_COLOR: '1' }, true, false, 'NO_COLOR=1 on a terminal'],
      [{ NO_COLOR: '0' }, true, false, 'NO_COLOR=0 (any non-empty value)'],
      [{ NO_COLOR: '' }, true, true, 'NO_COLOR empty is ignored'],
      [{ NO_COLOR: undefined }, true, true, 'NO_COLOR unset'],
      [{ FORCE_COLOR: '1' }, false, true, 'FORCE_COLOR=1 on a pipe'],
      [{ FORCE_COLOR: 'true' }, false, true, 'FORCE_COLOR=true on a pipe'],
      [{ FORCE_COLOR: '3' }, false, true, 'FORCE_COLOR=3 on a pipe'],
      [{ FORCE_COLOR: '0' }, true, false, 'FORCE_COLOR=0 turns colour off'],
      [{ FORCE_COLOR: 'false' }, true, false, 'FORCE_COLOR=false turns colour off'],
      [{ FORCE_COLOR: '' }, false, false, 'FORCE_COLOR empty is ignored'],
      [{ NO_COLOR: '1', FORCE_COLOR: '1' }, true, false, 'NO_COLOR wins over FORCE_COLOR'],
      [{ TERM: 'dumb' }, true, false, 'a dumb terminal'],
      [{ TERM: 'dumb', FORCE_COLOR: '1' }, true, true, 'FORCE_COLOR on a dumb terminal'],
    ];
    for (const [env, isTTY, expected, what] of cases) {
      it(`${what} → ${expected ? 'colour' : 'no colour'}`, () => assert.equal(shouldUseColor(env, isTTY), expected));
    }
  });
});
