import { strict as assert } from 'node:assert';
import { rng as random } from './support/random';
import { Catalog, type Index } from '../../src/core/catalog/model';


const origin = { migration: 'm', statementIndex: 0 };

function index(name: string, table: string): Index {
  return { schema: 'public', name, table, columns: ['id'], unique: false, partial: false, valid: true, constraint: false, origin };
}

describe('catalog lookups', () => {
  it('indexesOf lists exactly what a scan of `indexes` finds, in its order, across sets, deletes, moves and forks', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const rnd = random(seed);
      const catalogs = [new Catalog()];
      for (let step = 0; step < 1500; step++) {
        const c = catalogs[Math.floor(rnd() * catalogs.length)];
        const key = `public.ix${Math.floor(rnd() * 40)}`;
        const table = `public.T${Math.floor(rnd() * 6)}`;
        const r = rnd();
        if (r < 0.55) c.setIndex(key, index(key.slice(7), table));
        else if (r < 0.9) c.deleteIndex(key);
        else if (catalogs.length < 8) catalogs.push(c.fork());
        if (step % 100 === 0 || step === 1499) {
          for (const k of catalogs) {
            for (let t = 0; t < 6; t++) {
              const tableKey = `public.T${t}`;
              const scanned = [...k.indexes.values()].filter((ix) => ix.table === tableKey);
              assert.deepEqual(k.indexesOf(tableKey), scanned, `seed ${seed} step ${step} ${tableKey}`);
            }
          }
        }
      }
    }
  });
});
