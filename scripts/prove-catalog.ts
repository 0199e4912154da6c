/**
 * Catalog differential: after every migration of every corpus history, Preflight's static catalog
 * against PGlite's pg_catalog — relations and their kinds; columns with format_type(), nullability
 * and default presence; foreign keys with columns, target and actions; indexes with columns,
 * uniqueness and partiality; enum labels. Prints agreement and every mismatch (once, at the
 * migration where it first appears). Exit code 1 when anything disagrees.
 * Usage: npx tsx scripts/prove-catalog.ts [repo ...] [--limit N] [--quiet]
 */
import { pct, printFailures, proveCorpus } from './prove-common';

void (async () => {
  let checkpoints = 0;
  let agreedCheckpoints = 0;
  let items = 0;
  let agreedItems = 0;
  await proveCorpus({ locks: false, catalog: true }, (p) => {
    const c = p.report.catalog;
    checkpoints += c.checkpoints;
    agreedCheckpoints += c.agreedCheckpoints;
    items += c.items;
    agreedItems += c.agreedItems;
    console.log(
      `${p.repo}: ${c.agreedCheckpoints}/${c.checkpoints} migrations leave identical catalogs (${pct(c.agreedCheckpoints, c.checkpoints)}); ` +
        `items ${c.agreedItems}/${c.items} (${pct(c.agreedItems, c.items)}); ${(p.report.durationMs / 1000).toFixed(1)} s`,
    );
    if (c.excluded.doBlock + c.excluded.queryColumns) {
      console.log(`  left out: ${c.excluded.doBlock} item(s) changed by DO blocks, ${c.excluded.queryColumns} column(s) of tables created from a query; first examples:`);
      for (const m of c.excluded.examples.slice(0, 10)) console.log(`    ${m.migration}: ${m.what} static ${m.static} / observed ${m.observed}`);
    }
    for (const m of c.mismatches) console.log(`  ${m.migration}: ${m.what}\n    static:   ${m.static}\n    observed: ${m.observed}`);
    printFailures(p);
  });
  console.log(`\nTOTAL migrations ${agreedCheckpoints}/${checkpoints} (${pct(agreedCheckpoints, checkpoints)}), items ${agreedItems}/${items} (${pct(agreedItems, items)})`);
  process.exitCode = agreedCheckpoints === checkpoints ? 0 : 1;
})();
