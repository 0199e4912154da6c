import { strict as assert } from 'node:assert';
import { ensureSqlParser } from '../../src/core/sql/parser';
import { describeWithCorpus } from './support/corpus';
import { corpusSamples, fixtureSamples, fuzzOnce, type Samples } from './support/fuzz';

/** Fuzzes `iterations` seeds from 20261121 on: the failures and how many of each kind ran. */
async function fuzz(samples: Samples, iterations: number): Promise<{ failures: string[]; kinds: { sql: number; schema: number } }> {
  await ensureSqlParser();
  const failures: string[] = [];
  const kinds = { sql: 0, schema: 0 };
  for (let i = 0; i < iterations; i++) {
    const r = fuzzOnce(samples, 20261121 + i);
    kinds[r.kind]++;
    if (r.failure) failures.push(`seed ${20261121 + i}: ${r.failure.problem.slice(0, 300)}`);
  }
  return { failures, kinds };
}

describeWithCorpus('fuzzing (fixed-seed slice of `npm run fuzz`)', function () {
  this.timeout(120_000);
  it('500 mutated corpus migrations and schema files: no throw, ranges inside the file, under 1 s each', async () => {
    const samples = corpusSamples();
    assert.ok(samples.sql.length > 100, 'corpus samples missing');
    const { failures, kinds } = await fuzz(samples, 500);
    assert.deepEqual(failures, []);
    assert.ok(kinds.sql > 300 && kinds.schema > 75, JSON.stringify(kinds));
  });
});

describe('fuzzing the repository’s own fixtures and examples', function () {
  this.timeout(120_000);
  it('200 mutated fixture migrations and schema files: no throw, ranges inside the file, under 1 s each', async () => {
    const samples = fixtureSamples();
    assert.ok(samples.sql.length >= 20 && samples.schemas.length >= 15, `${samples.sql.length} migrations, ${samples.schemas.length} schemas`);
    const { failures, kinds } = await fuzz(samples, 200);
    assert.deepEqual(failures, []);
    assert.ok(kinds.sql > 100 && kinds.schema > 25, JSON.stringify(kinds));
  });
});
