import { strict as assert } from 'node:assert';
import { ensureSqlParser } from '../../src/core/sql/parser';
import { corpusSamples, fuzzOnce } from './support/fuzz';

describe('fuzzing (fixed-seed slice of `npm run fuzz`)', function () {
  this.timeout(120_000);
  it('500 mutated corpus migrations and schema files: no throw, ranges inside the file, under 1 s each', async () => {
    await ensureSqlParser();
    const samples = corpusSamples();
    assert.ok(samples.sql.length > 100, 'corpus samples missing');
    const failures: string[] = [];
    const kinds = { sql: 0, schema: 0 };
    for (let i = 0; i < 500; i++) {
      const r = fuzzOnce(samples, 20261121 + i);
      kinds[r.kind]++;
      if (r.failure) failures.push(`seed ${20261121 + i}: ${r.failure.problem.slice(0, 300)}`);
    }
    assert.deepEqual(failures, []);
    assert.ok(kinds.sql > 300 && kinds.schema > 75, JSON.stringify(kinds));
  });
});
