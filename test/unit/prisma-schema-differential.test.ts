/**
 * Differential test of the schema reader: on every real schema we have — each corpus repository's
 * (multi-file ones as their project discovery finds them), examples/shop's, every test fixture's,
 * and each of their files read alone — `parsePrismaSchema` builds exactly the model the previous
 * reader built on `@mrleebo/prisma-ast` (kept in support/prisma-ast-reference.ts): every model,
 * field, enum, relation, range and problem.
 */
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { parsePrismaSchema, type SchemaFile } from '../../src/core/prisma/schema';
import { discoverProject } from '../../src/core/project/discover';
import { CORPUS, corpusPresent, describeWithCorpus } from './support/corpus';
import { blankBlockComments, parsePrismaSchemaWithPrismaAst } from './support/prisma-ast-reference';

const ROOT = path.resolve(__dirname, '..', '..');
const FIXTURES = path.join(ROOT, 'test', 'fixtures');

interface NamedSchema {
  name: string;
  files: SchemaFile[];
}

function prismaFilesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => (e.isDirectory() ? prismaFilesUnder(path.join(dir, e.name)) : e.name.endsWith('.prisma') ? [path.join(dir, e.name)] : []));
}

function subfolders(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).sort().map((d) => path.join(dir, d)).filter((d) => statSync(d).isDirectory());
}

function read(paths: readonly string[]): SchemaFile[] {
  return paths.map((p) => ({ path: p, text: readFileSync(p, 'utf8') }));
}

/** Every schema as a project reads it, then every .prisma file on its own. */
function allSchemas(): NamedSchema[] {
  const projects = [
    ...(corpusPresent ? subfolders(CORPUS) : []),
    path.join(ROOT, 'examples', 'shop'),
    ...subfolders(path.join(FIXTURES, 'projects')),
    ...subfolders(path.join(FIXTURES, 'projects', 'monorepo', 'packages')),
  ];
  const schemas: NamedSchema[] = [];
  const seen = new Set<string>();
  for (const dir of projects) {
    const files = discoverProject(dir, { prismaVersion: '7.3.0' }).schemaFiles;
    const key = files.join('\n');
    if (files.length === 0 || seen.has(key)) continue;
    seen.add(key);
    schemas.push({ name: `${path.relative(ROOT, dir)} (${files.length} file${files.length === 1 ? '' : 's'})`, files: read(files) });
  }
  schemas.push({ name: 'test/fixtures/prisma/multi-file (3 files)', files: read(prismaFilesUnder(path.join(FIXTURES, 'prisma', 'multi-file'))) });
  const everyFile = [...(corpusPresent ? prismaFilesUnder(CORPUS) : []), ...prismaFilesUnder(path.join(ROOT, 'examples')), ...prismaFilesUnder(FIXTURES)];
  for (const file of everyFile) schemas.push({ name: path.relative(ROOT, file), files: read([file]) });
  return schemas;
}

describe('prisma schema: the same model as the prisma-ast reader (differential)', function () {
  this.timeout(120_000);
  const schemas = allSchemas();

  it('finds examples/shop and the fixtures', () => {
    const projects = schemas.filter((s) => s.name.includes(' ('));
    assert.ok(projects.some((s) => s.name.startsWith('examples/shop')));
    assert.ok(projects.filter((s) => s.name.startsWith('test/fixtures')).length >= 10);
    assert.ok(schemas.length - projects.length >= 20, 'single files');
  });

  for (const schema of schemas) {
    it(schema.name, () => {
      const expected = parsePrismaSchemaWithPrismaAst(schema.files);
      assert.deepStrictEqual(parsePrismaSchema(schema.files), expected);
    });
  }

  // The same schemas in other spellings both readers accept: the offsets move, the models agree.
  const spellings: [name: string, spell: (text: string) => string][] = [
    ['CRLF line breaks and a BOM', (text) => '\uFEFF' + text.replace(/\r?\n/g, '\r\n')],
    ['tabs for indentation and alignment', (text) => text.replace(/ {2}/g, '\t')],
    ['a /* */ comment before every model', (text) => text.replace(/^model /gm, '/* 😀 a\n   comment */\nmodel ')],
  ];
  for (const [spelling, spell] of spellings) {
    it(`every project's schema (corpus, example, fixtures) written with ${spelling}`, () => {
      for (const schema of schemas.filter((s) => s.name.includes(' ('))) {
        const files = schema.files.map((f) => ({ path: f.path, text: spell(f.text) }));
        assert.deepStrictEqual(parsePrismaSchema(files), parsePrismaSchemaWithPrismaAst(files), schema.name);
      }
    });
  }

  it('the reference blanks block comments keeping length and line breaks, and leaves strings and // comments alone', () => {
    const text = 'a /* x\r\n y 😀 */ b "/* s */" // c /* d\ne /* open';
    const { text: blanked, unterminatedAt } = blankBlockComments(text);
    assert.equal(blanked, 'a     \r\n         b "/* s */" // c /* d\ne        ');
    assert.equal(blanked.length, text.length);
    assert.equal(unterminatedAt, text.lastIndexOf('/*'));
  });
});

describeWithCorpus('prisma schema: the differential covers the corpus', () => {
  it('reads every corpus repository as a project', () => {
    const names = allSchemas().map((s) => s.name);
    assert.ok(names.filter((n) => n.startsWith(path.relative(ROOT, CORPUS)) && n.includes(' (')).length >= 10, names.join('\n'));
  });
});
