/**
 * Fuzzing: mutates real corpus migrations and schema files and checks the invariants —
 * analysis never throws, returns within 1 s per file, every range lies inside the file.
 *   npm run fuzz -- --iterations 100000 [--seed 1] [--out test/fixtures/fuzz-crashes]
 * Every failure is written out as a file so it can become a regression test.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { CORPUS } from '../test/unit/support/corpus';
import { corpusSamples, fuzzOnce, type FuzzFailure } from '../test/unit/support/fuzz';
import { ensureSqlParser } from '../src/core/sql/parser';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { iterations: { type: 'string', default: '10000' }, seed: { type: 'string', default: '1' }, out: { type: 'string', default: 'test/fixtures/fuzz-crashes' } } });
  const iterations = Number(values.iterations);
  const seed = Number(values.seed);
  await ensureSqlParser();
  const samples = corpusSamples();
  if (!samples.sql.length) throw new Error(`no corpus at ${CORPUS}: set PREFLIGHT_CORPUS=/path/to/corpus`);
  const failures: FuzzFailure[] = [];
  const started = Date.now();
  let slowest = 0;
  const kinds = { sql: 0, schema: 0 };
  for (let i = 0; i < iterations; i++) {
    const r = fuzzOnce(samples, seed * 1_000_003 + i);
    kinds[r.kind]++;
    slowest = Math.max(slowest, r.ms);
    if (r.failure) {
      failures.push(r.failure);
      mkdirSync(values.out!, { recursive: true });
      writeFileSync(path.join(values.out!, `crash-${seed}-${i}.${r.failure.kind === 'schema' ? 'prisma' : 'sql'}`), r.failure.input);
      process.stdout.write(`iteration ${i}: ${r.failure.problem}\n`);
    }
    if ((i + 1) % 5000 === 0) process.stdout.write(`${i + 1} iterations, ${failures.length} failures, ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  }
  process.stdout.write(`\n${iterations} iterations (seed ${seed}; ${kinds.sql} migrations, ${kinds.schema} schema files) in ${((Date.now() - started) / 1000).toFixed(1)} s; slowest file ${slowest.toFixed(0)} ms; ${failures.length} failures\n`);
  process.exitCode = failures.length ? 1 : 0;
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 2;
});
