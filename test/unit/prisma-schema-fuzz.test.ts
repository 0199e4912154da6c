/**
 * Fuzzing the schema reader: mutated corpus schemas (and the fixtures' and examples', which need no corpus) (support/fuzz.ts's mutations: token edits,
 * truncations, unterminated quotes, deep nesting, 10 MB identifiers, mixed line endings, a BOM)
 * and hand-made hostile files. `parsePrismaSchema` never throws, every range lies inside its file,
 * and time stays linear in the text (no regular expression or recovery that backtracks).
 */
import { strict as assert } from 'node:assert';
import { parsePrismaSchema, type PrismaSchemaModel } from '../../src/core/prisma/schema';
import { describeWithCorpus } from './support/corpus';
import { corpusSamples, fixtureSamples, mutate, rng, schemaRanges } from './support/fuzz';

const MB = 1_000_000;

/** Why `text`'s schema breaks an invariant, or null. */
function check(text: string): string | null {
  const started = performance.now();
  let schema: PrismaSchemaModel;
  try {
    schema = parsePrismaSchema([{ path: 'schema.prisma', text }]);
  } catch (e) {
    return `threw: ${e instanceof Error ? e.stack : String(e)}`;
  }
  const ms = performance.now() - started;
  for (const r of schemaRanges(schema)) {
    if (!(r.startOffset >= 0 && r.startOffset <= r.endOffset && r.endOffset <= text.length && r.start.line >= 1 && r.start.column >= 1)) {
      return `range outside the file: ${JSON.stringify(r)}`;
    }
  }
  if (ms > 1000 && text.length < 5 * MB) return `took ${ms.toFixed(0)} ms`;
  return null;
}

/** Mutates a schema picked from `schemas` 1–3 times per seed, for `iterations` seeds: the seeds that broke an invariant. */
function fuzzSchemas(schemas: string[], iterations: number): string[] {
  const failures: string[] = [];
  for (let i = 0; i < iterations; i++) {
    const seed = 20261121 + i;
    const r = rng(seed);
    let text = schemas[Math.floor(r() * schemas.length)];
    for (let k = 0, rounds = 1 + Math.floor(r() * 3); k < rounds; k++) text = mutate(text, r);
    const failure = check(text);
    if (failure) failures.push(`seed ${seed}: ${failure.slice(0, 300)}`);
  }
  return failures;
}

describeWithCorpus('fuzzing the schema reader on the corpus', function () {
  this.timeout(120_000);
  it('300 mutated corpus schemas: no throw, ranges inside the file, under 1 s each', () => {
    const { schemas } = corpusSamples();
    assert.ok(schemas.length >= 30, `${schemas.length} corpus schemas`);
    assert.deepEqual(fuzzSchemas(schemas, 300), []);
  });
});

describe('fuzzing the schema reader', function () {
  this.timeout(120_000);

  it('300 mutated fixture and example schemas: no throw, ranges inside the file, under 1 s each', () => {
    const { schemas } = fixtureSamples();
    assert.ok(schemas.length >= 15, `${schemas.length} fixture schemas`);
    assert.deepEqual(fuzzSchemas(schemas, 300), []);
  });

  const hostile: [name: string, text: string][] = [
    ['a 10 MB model name', `model ${'x'.repeat(10 * MB)} {\n  id Int @id\n}\n`],
    ['a 10 MB string without its closing quote', `model A {\n  id Int @default("${'x'.repeat(10 * MB)}\n}\n`],
    ['1 MB of escaped quotes', `model A {\n  id Int @default("${'\\"'.repeat(MB / 2)}\n}\n`],
    ['arrays opened 1 M deep', `model A {\n  id Int @default(${'['.repeat(MB)}\n}\n`],
    ['calls opened 500 k deep', `model A {\n  id Int @default(${'f('.repeat(MB / 2)}\n}\n`],
    ['500 k stray characters', '$ '.repeat(MB / 2)],
    ['50 k unclosed models', 'model A {\n'.repeat(MB / 20)],
    ['500 k lone closing braces', '}\n'.repeat(MB / 2)],
    ['1 M lone carriage returns', '\r'.repeat(MB)],
    ['1 MB of `/*/*`', '/*'.repeat(MB / 2)],
    ['1 M astral characters after a model', `model A {\n  id Int @id\n}\n${'😀'.repeat(MB / 2)}`],
  ];
  for (const [name, text] of hostile) {
    it(`${name}: no throw, ranges inside, under 1 s`, () => {
      assert.equal(check(text), null);
    });
  }
});
