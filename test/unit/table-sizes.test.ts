/** The stats file, the duration model against its own measurements, and the size-aware pass over findings. */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { compareRowCount, recordedRowCounts } from '../../src/core/live/checks';
import { describeDuration, DURATION_MODEL, estimateSeconds, type Work } from '../../src/core/sizes/duration-model';
import { DEFAULT_LOCK_TIME_SEVERITY, sizedFinding } from '../../src/core/sizes/size-aware';
import { describeBytes, describeRows, parseStatsFile, statsByTable, type TableStats } from '../../src/core/sizes/table-stats';
import type { Finding, StatementFacts } from '../../src/core/types';

const ROOT = path.resolve(__dirname, '..', '..');
const product: TableStats = { schema: 'public', name: 'Product', reltuples: 12_400_000, liveTuples: 12_390_000, totalBytes: 3.1 * 1024 ** 3, tableBytes: 2.2 * 1024 ** 3, indexBytes: 0.9 * 1024 ** 3 };
const tables = statsByTable({ version: 1, collectedAt: '', tables: [product] });
const range = { startOffset: 0, endOffset: 1, start: { line: 1, column: 1 }, end: { line: 1, column: 2 } };
const finding = (rule: string, message: string, severity: Finding['severity'] = 'warning'): Finding => ({ rule, severity, file: 'm.sql', migration: 'm', range, message, help: '', statementIndex: 0 });
const facts = (over: Partial<StatementFacts> = {}): StatementFacts => ({ kind: 'IndexStmt', locks: [{ table: 'public.Product', mode: 'ShareLock' }], rewrites: [], newTables: [], ...over });

describe('table sizes', () => {
  it('says rows and bytes as PostgreSQL users read them', () => {
    assert.deepEqual([1, 640, 12_400, 12_400_000, 2_500_000_000].map(describeRows), ['≈1 row', '≈640 rows', '≈12.4 k rows', '≈12.4 M rows', '≈2.5 billion rows']);
    assert.deepEqual([512, 8192, 3.1 * 1024 ** 3].map(describeBytes), ['512 bytes', '8 kB', '3.1 GB']);
  });

  it('durations are one significant figure, never more precise than the model', () => {
    assert.deepEqual([0.4, 1.2, 37, 59.7, 190, 7300].map(describeDuration), ['under a second', 'about 1 s', 'about 40 s', 'about 1 min', 'about 3 min', 'about 2 h']);
  });

  it('the stats file is read back, and what is not one is refused in one line', () => {
    const file = parseStatsFile(JSON.stringify({ version: 1, collectedAt: '2025-01-01T00:00:00Z', tables: [product] }), 's.json');
    assert.deepEqual(file.tables, [product]);
    assert.throws(() => parseStatsFile('{', 's.json'), /^InputError: s\.json is not JSON/);
    assert.throws(() => parseStatsFile('{"version":2,"tables":[]}', 's.json'), /version 2; this Preflight reads version 1/);
    assert.throws(() => parseStatsFile('{"version":1,"tables":[{"schema":"public","name":"T","totalBytes":"big"}]}', 's.json'), /tables\[0\] \("T"\): "totalBytes" must be a number of bytes/);
  });

  it('the model is within the documented factor of every measurement from 1 M rows (docs/duration-calibration.json)', () => {
    const { measurements } = JSON.parse(readFileSync(path.join(ROOT, 'docs', 'duration-calibration.json'), 'utf8')) as { measurements: { rows: number; tableBytes: number; totalBytes: number; work: Work; seconds: number }[] };
    const documented: Record<Work, number> = { 'index-build': 3.7, 'validate-scan': 1.7, 'validate-foreign-key': 1.6, rewrite: 1.5 };
    for (const work of Object.keys(DURATION_MODEL) as Work[]) {
      const big = measurements.filter((m) => m.work === work && m.rows >= 1_000_000);
      assert.ok(big.length >= 3, work);
      for (const m of big) {
        const estimate = estimateSeconds(work, m)!;
        const factor = Math.max(estimate / m.seconds, m.seconds / estimate);
        assert.ok(factor <= documented[work], `${work} at ${m.rows} rows: ${estimate.toFixed(2)} s estimated, ${m.seconds} s measured`);
      }
    }
  });

  it('a locking finding names the size after its table, with an estimate said to be one', () => {
    const f = sizedFinding(finding('non-concurrent-index', 'Building this index takes a SHARE lock on "Product": inserts, updates and deletes wait until the whole build finishes.'), facts(), { tables, severity: 'off' });
    assert.equal(f.message, 'Building this index takes a SHARE lock on "Product" (≈12.4 M rows, 3.1 GB): inserts, updates and deletes wait until the whole build finishes. The index build takes about 20 s on this size, an estimate.');
    assert.equal(f.severity, 'warning');
  });

  it('severity rises with the estimated lock time, never falls, and not for uncertain findings', () => {
    const message = 'SET NOT NULL on "sku" scans every row of "Product" under an ACCESS EXCLUSIVE lock.';
    const raised = sizedFinding(finding('set-not-null', message), facts({ locks: [{ table: 'public.Product', mode: 'AccessExclusiveLock' }] }), { tables, severity: { warning: 1, error: 5 } });
    assert.equal(raised.severity, 'error');
    assert.match(raised.message, /The scan takes about 5 s on this size, an estimate\. Raised to error: the estimated lock time reaches 5 s \(lockTimeSeverity\)\.$/);
    const kept = sizedFinding(finding('set-not-null', message, 'error'), facts(), { tables, severity: { warning: 100, error: null } });
    assert.equal(kept.severity, 'error');
    const uncertain = sizedFinding({ ...finding('set-not-null', message, 'info'), uncertain: true }, facts(), { tables, severity: DEFAULT_LOCK_TIME_SEVERITY });
    assert.equal(uncertain.severity, 'info');
  });

  it('leaves alone findings of other categories, new tables, and tables without stats', () => {
    const drop = finding('drop-column', 'Dropping "x" of "Product" loses its data.');
    assert.equal(sizedFinding(drop, facts(), { tables, severity: DEFAULT_LOCK_TIME_SEVERITY }), drop);
    const lock = finding('non-concurrent-index', 'SHARE lock on "Product".');
    assert.equal(sizedFinding(lock, facts({ newTables: ['public.Product'] }), { tables, severity: DEFAULT_LOCK_TIME_SEVERITY }), lock);
    assert.equal(sizedFinding(lock, facts({ locks: [{ table: 'public.Other', mode: 'ShareLock' }] }), { tables, severity: DEFAULT_LOCK_TIME_SEVERITY }), lock);
  });

  it('a type change that rewrites gets the rewrite estimate; one that keeps the table, the index rebuild', () => {
    const msg = 'Changing "price" rewrites "Product" and rebuilds its indexes under an ACCESS EXCLUSIVE lock.';
    const lock = [{ table: 'public.Product', mode: 'AccessExclusiveLock' as const }];
    assert.match(sizedFinding(finding('rewrite-column-type', msg), facts({ locks: lock, rewrites: ['public.Product'] }), { tables, severity: 'off' }).message, /The rewrite takes about 1 min on this size/);
    assert.match(sizedFinding(finding('rewrite-column-type', msg), facts({ locks: lock }), { tables, severity: 'off' }).message, /The index build takes about 20 s/);
  });

  it('after deployment, row counts are compared with the counts the record holds', () => {
    const counts = recordedRowCounts('"Order": row_count 7, total_size 48 kB; "s"."Big ""one""": row_count 1000, total_size 1 MB (2025-01-01, from the database)');
    assert.deepEqual([...counts], [['"Order"', 7], ['"s"."Big ""one"""', 1000]]);
    assert.equal(compareRowCount('"Order"', 7, 9).state, 'passed');
    assert.equal(compareRowCount('"Order"', 7, 4).explanation, '3 rows fewer in "Order" than before deployment: check that the migration did not delete them (rows the application deleted meanwhile count too)');
    assert.equal(compareRowCount('"Order"', undefined, 4).state, 'not-run');
  });
});
