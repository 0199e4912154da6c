/** Judging live check results and migration states, without a server. */
import { strict as assert } from 'node:assert';
import { judge } from '../../src/core/live/checks';
import { migrationChecksums, migrationStates } from '../../src/core/live/status';

const failure = { one: '1 row of "Order" has NULL in "customerId"', many: '{n} rows of "Order" have NULL in "customerId"' };

describe('live checks: judging a result', () => {
  const cases: [string, Parameters<typeof judge>[0], Record<string, unknown>[], boolean, string | undefined][] = [
    ['a zero count passes', { kind: 'count', equals: 0, failure }, [{ nulls: '0' }], true, undefined],
    ['five NULLs fail, in plural words', { kind: 'count', equals: 0, failure }, [{ nulls: '5' }], false, '5 rows of "Order" have NULL in "customerId"'],
    ['one NULL fails, in singular words', { kind: 'count', equals: 0, failure }, [{ nulls: '1' }], false, '1 row of "Order" has NULL in "customerId"'],
    ['counts-zero sums the rows', { kind: 'counts-zero', failure }, [{ col: 'Order.status', count: '3' }, { col: 'Refund.status', count: '1' }], false, '4 rows of "Order" have NULL in "customerId"'],
    ['no rows passes', { kind: 'no-rows' }, [], true, undefined],
    ['a row with the expected letters passes', { kind: 'row', equals: { confdeltype: 'r', convalidated: 't' } }, [{ confdeltype: 'r', convalidated: true }], true, undefined],
    ['a row with another action fails and says which', { kind: 'row', equals: { confdeltype: 'r' } }, [{ confdeltype: 'c' }], false, 'confdeltype is c, expected r'],
    ['no row for a row probe fails', { kind: 'row', equals: { indisvalid: 't' } }, [], false, 'not found: the query returned no row'],
  ];
  for (const [name, probe, rows, passed, explanation] of cases)
    it(name, () => {
      const v = judge(probe, rows);
      assert.equal(v.passed, passed);
      assert.equal(v.explanation, explanation);
    });
});

describe('live status: migration states', () => {
  const row = (name: string, over: object = {}) => ({ migration_name: name, checksum: 'x', started_at: new Date(0), finished_at: new Date(1), rolled_back_at: null, ...over });
  it('a failed attempt rolled back and then applied is applied; one never finished is failed', () => {
    const states = migrationStates(
      [
        { name: 'a', sqlFile: null },
        { name: 'b', sqlFile: null },
        { name: 'c', sqlFile: null },
      ],
      [row('a', { finished_at: null, rolled_back_at: new Date(2) }), row('a'), row('b', { finished_at: null }), row('z')],
    );
    assert.deepEqual(states.map((s) => `${s.name} ${s.state}`), ['a applied', 'b failed', 'c pending', 'z missing-locally']);
  });
  it('the checksum is the SHA-256 of migration.sql, with either line ending', () => {
    const lf = migrationChecksums(Buffer.from('SELECT 1;\n'));
    const crlf = migrationChecksums(Buffer.from('SELECT 1;\r\n'));
    assert.equal(lf[0], 'b4e0497804e46e0a0b0b8c31975b062152d551bac49c3c2e80932567b4085dcd'); // printf 'SELECT 1;\\n' | sha256sum
    assert.ok(lf.some((s) => crlf.includes(s)));
  });
});
