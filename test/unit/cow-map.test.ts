import { strict as assert } from 'node:assert';
import { rng as random } from './support/random';
import { CowMap, CowSet } from '../../src/core/catalog/cow-map';


describe('CowMap', () => {
  it('behaves exactly like Map (content and iteration order) across random sets, deletes and forks', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const rnd = random(seed);
      // Pairs of (model Map, CowMap) that must stay equal; forks add pairs.
      const pairs: { model: Map<string, number>; cow: CowMap<string, number> }[] = [{ model: new Map(), cow: new CowMap() }];
      for (let step = 0; step < 3000; step++) {
        const p = pairs[Math.floor(rnd() * pairs.length)];
        const key = `k${Math.floor(rnd() * 120)}`;
        const r = rnd();
        if (r < 0.5) {
          p.model.set(key, step);
          p.cow.set(key, step);
        } else if (r < 0.85) {
          assert.equal(p.cow.delete(key), p.model.delete(key), `seed ${seed} step ${step}: delete ${key}`);
        } else if (r < 0.9 && pairs.length < 12) {
          pairs.push({ model: new Map(p.model), cow: p.cow.fork() });
        } else {
          assert.equal(p.cow.get(key), p.model.get(key), `seed ${seed} step ${step}: get ${key}`);
          assert.equal(p.cow.has(key), p.model.has(key), `seed ${seed} step ${step}: has ${key}`);
        }
        if (step % 250 === 0 || step === 2999) {
          for (const q of pairs) {
            assert.equal(q.cow.size, q.model.size, `seed ${seed} step ${step}: size`);
            assert.deepEqual([...q.cow], [...q.model], `seed ${seed} step ${step}: entries in order`);
          }
        }
      }
    }
  });

  it('a fork does not see later writes of its origin, nor the origin those of the fork', () => {
    const a = new CowMap<string, number>([['x', 1], ['y', 2]]);
    const b = a.fork();
    a.set('x', 10);
    b.delete('y');
    b.set('z', 3);
    assert.deepEqual([...a], [['x', 10], ['y', 2]]);
    assert.deepEqual([...b], [['x', 1], ['z', 3]]);
  });
});

describe('CowSet', () => {
  it('adds, deletes and forks like a Set', () => {
    const a = CowSet.of(['public']);
    const b = a.fork();
    b.add('audit');
    a.delete('public');
    assert.deepEqual([...a], []);
    assert.deepEqual([...b], ['public', 'audit']);
    assert.equal(b.has('audit'), true);
    assert.equal(a.has('audit'), false);
  });
});
