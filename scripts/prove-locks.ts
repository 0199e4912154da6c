/**
 * Lock/rewrite differential: for every statement of every corpus history, the static claim
 * (`facts.locks`, strongest mode per table, and `facts.rewrites`) against what PostgreSQL 18 (PGlite)
 * did: `pg_locks` of the own backend before the statement's transaction ends, and `pg_class.relfilenode`.
 * Prints agreement per repository and every mismatch. Exit code 1 when anything disagrees.
 * Usage: npx tsx scripts/prove-locks.ts [repo ...] [--limit N] [--quiet]
 */
import { pct, printFailures, proveCorpus } from './prove-common';

void (async () => {
  let compared = 0;
  let agreed = 0;
  let rwCompared = 0;
  let rwAgreed = 0;
  const doBlocks = { total: 0, compared: 0, agreed: 0, dynamic: 0, uncertain: 0, unobserved: 0, namesChanged: 0, examples: [] as string[] };
  await proveCorpus({ locks: true, catalog: false }, (p) => {
    const r = p.report;
    compared += r.locks.compared;
    agreed += r.locks.agreed;
    rwCompared += r.rewrites.compared;
    rwAgreed += r.rewrites.agreed;
    for (const k of ['total', 'compared', 'agreed', 'dynamic', 'uncertain', 'unobserved', 'namesChanged'] as const) doBlocks[k] += r.doBlocks[k];
    doBlocks.examples.push(...r.doBlocks.examples);
    console.log(
      `${p.repo}: locks ${r.locks.agreed}/${r.locks.compared} (${pct(r.locks.agreed, r.locks.compared)}; ${r.locks.dataDependent} of them up to foreign-key trigger locks), rewrites ${r.rewrites.agreed}/${r.rewrites.compared} (${pct(r.rewrites.agreed, r.rewrites.compared)}); ` +
        `${r.statements} statements, ${r.unobserved} unobservable (outside a transaction block), ${r.uncertain} uncertain statically, ${r.failed.length} rejected; DO blocks: ${r.doBlocks.agreed}/${r.doBlocks.compared} agree, ${r.doBlocks.dynamic} of ${r.doBlocks.total} left out for dynamic SQL; ${(r.durationMs / 1000).toFixed(1)} s`,
    );
    for (const m of r.locks.excluded.examples) console.log(`  left out (names an object a DO block changed) ${m.migration}:${m.line}: static ${m.static} / observed ${m.observed}\n    ${m.sql}`);
    for (const m of r.locks.mismatches) console.log(`  LOCKS ${m.migration}:${m.line}\n    static:   ${m.static}\n    observed: ${m.observed}\n    ${m.sql}`);
    for (const m of r.rewrites.mismatches) console.log(`  REWRITES ${m.migration}:${m.line}\n    static:   ${m.static}\n    observed: ${m.observed}\n    ${m.sql}`);
    printFailures(p);
  });
  console.log(`\nTOTAL locks ${agreed}/${compared} (${pct(agreed, compared)}), rewrites ${rwAgreed}/${rwCompared} (${pct(rwAgreed, rwCompared)})`);
  console.log(`DO blocks ${doBlocks.total}: ${doBlocks.compared} compared, ${doBlocks.agreed} agree (${pct(doBlocks.agreed, doBlocks.compared)}); ${doBlocks.dynamic} left out (dynamic SQL: EXECUTE of a computed string); ${doBlocks.uncertain} left out as uncertain for another reason; ${doBlocks.unobserved} whose locks PostgreSQL does not show; ${doBlocks.namesChanged} naming an object dynamic SQL changed; ${doBlocks.total - doBlocks.compared - doBlocks.dynamic - doBlocks.uncertain - doBlocks.unobserved - doBlocks.namesChanged} otherwise not compared`);
  for (const e of doBlocks.examples) console.log(`  DO block left out as uncertain: ${e}`);
  process.exitCode = agreed === compared && rwAgreed === rwCompared ? 0 : 1;
})();
