/**
 * Maps and sets that fork in O(1) and whose writes after a fork cost O(1) amortised, for the
 * catalog: the analysis keeps the database state before every statement of a migration, and a
 * full copy of every collection per statement made replays quadratic.
 *
 * Layout: a frozen `base` map shared by every fork, plus a small `delta` of this map's own
 * changes (values, or DELETED for base keys removed). A fork shares the delta too until either
 * side writes (that side then copies the delta, which is small). When the delta grows past a
 * fraction of the base it is merged into a new base. Iteration order is exactly `Map`'s:
 * insertion order, a re-set key keeps its place, a deleted and re-added key moves to the end.
 */
const DELETED: unique symbol = Symbol('deleted');
type Slot<V> = V | typeof DELETED;

export class CowMap<K, V> implements ReadonlyMap<K, V> {
  private base: ReadonlyMap<K, V>;
  private delta: Map<K, Slot<V>>;
  /** Base keys deleted and then set again: they iterate at the end, in delta order. */
  private moved: Set<K>;
  /** The delta (and `moved`) are shared with a fork: copy before writing. */
  private shared = false;
  private count: number;
  /** Delta size that triggers a merge: about √(2·base) balances fork copies against merges. */
  private limit: number;

  constructor(entries?: Iterable<readonly [K, V]>) {
    this.base = new Map(entries);
    this.delta = new Map();
    this.moved = new Set();
    this.count = this.base.size;
    this.limit = limitFor(this.base.size);
  }

  /** An independent copy in O(1): both sides share everything until one of them writes. */
  fork(): CowMap<K, V> {
    const copy = Object.create(Object.getPrototypeOf(this) as object) as CowMap<K, V>;
    copy.base = this.base;
    copy.delta = this.delta;
    copy.moved = this.moved;
    copy.count = this.count;
    copy.limit = this.limit;
    copy.shared = true;
    this.shared = true;
    return copy;
  }

  get size(): number {
    return this.count;
  }

  get(key: K): V | undefined {
    if (this.delta.size) {
      const d = this.delta.get(key);
      if (d !== undefined) return d === DELETED ? undefined : d;
    }
    return this.base.get(key);
  }

  has(key: K): boolean {
    if (this.delta.size) {
      const d = this.delta.get(key);
      if (d !== undefined) return d !== DELETED;
    }
    return this.base.has(key);
  }

  /** `undefined` values are not supported (the catalog never stores them). */
  set(key: K, value: V): this {
    this.ownDelta();
    const d = this.delta.get(key);
    if (d === DELETED) {
      // A base key deleted earlier is back: Map puts it at the end.
      this.delta.delete(key);
      this.moved.add(key);
      this.count++;
    } else if (d === undefined && !this.base.has(key)) {
      this.count++;
    }
    this.delta.set(key, value);
    this.compactIfLarge();
    return this;
  }

  delete(key: K): boolean {
    if (!this.has(key)) return false;
    this.ownDelta();
    if (this.base.has(key)) {
      this.delta.delete(key); // a moved key must leave its place at the end
      this.delta.set(key, DELETED);
      this.moved.delete(key);
    } else {
      this.delta.delete(key);
    }
    this.count--;
    this.compactIfLarge();
    return true;
  }

  // Iteration merges the delta into the base first, then uses Map's own iterators: generators
  // cost several times more per element, and catalogs are iterated far more often than written.
  entries(): MapIterator<[K, V]> {
    this.merge();
    return this.base.entries();
  }

  keys(): MapIterator<K> {
    this.merge();
    return this.base.keys();
  }

  values(): MapIterator<V> {
    this.merge();
    return this.base.values();
  }

  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.entries();
  }

  /** In Map's order, without merging (no allocation): for scans of a map that is written often. */
  forEach(callback: (value: V, key: K, map: ReadonlyMap<K, V>) => void, thisArg?: unknown): void {
    const { base, delta, moved } = this;
    if (!delta.size) {
      for (const [k, v] of base) callback.call(thisArg, v, k, this);
      return;
    }
    for (const [k, v] of base) {
      const d = delta.get(k);
      if (d === undefined) callback.call(thisArg, v, k, this);
      else if (d !== DELETED && !moved.has(k)) callback.call(thisArg, d, k, this);
    }
    for (const [k, d] of delta) {
      if (d === DELETED || (base.has(k) && !moved.has(k))) continue; // deleted, or visited in the base's place
      callback.call(thisArg, d, k, this);
    }
  }

  private ownDelta(): void {
    if (!this.shared) return;
    this.delta = new Map(this.delta);
    this.moved = new Set(this.moved);
    this.shared = false;
  }

  /** Merges the delta into a new base once it is no longer small next to the base. */
  private compactIfLarge(): void {
    if (this.delta.size > this.limit) this.merge();
  }

  /**
   * Replaces base + delta by one new base map, in Map's iteration order. The old base is never
   * changed (forks and running iterators may hold it).
   */
  private merge(): void {
    const { base, delta, moved } = this;
    if (!delta.size) return;
    const merged = new Map<K, V>();
    for (const [k, v] of base) {
      const d = delta.get(k);
      if (d === undefined) merged.set(k, v);
      else if (d !== DELETED && !moved.has(k)) merged.set(k, d);
    }
    for (const [k, d] of delta) {
      if (d === DELETED || (base.has(k) && !moved.has(k))) continue; // deleted, or set in the base's place
      merged.set(k, d);
    }
    this.base = merged;
    this.delta = new Map();
    this.moved = new Set();
    this.shared = false;
    this.limit = limitFor(merged.size);
  }
}

function limitFor(baseSize: number): number {
  return 16 + Math.ceil(Math.sqrt(2 * baseSize));
}

/** A set with the same forking, over a CowMap. */
export class CowSet<K> implements ReadonlySet<K> {
  private constructor(private readonly map: CowMap<K, true>) {}

  static of<K>(values: Iterable<K> = []): CowSet<K> {
    return new CowSet(new CowMap<K, true>([...values].map((v) => [v, true] as const)));
  }

  fork(): CowSet<K> {
    return new CowSet(this.map.fork());
  }

  get size(): number {
    return this.map.size;
  }

  has(value: K): boolean {
    return this.map.has(value);
  }

  add(value: K): this {
    if (!this.map.has(value)) this.map.set(value, true);
    return this;
  }

  delete(value: K): boolean {
    return this.map.delete(value);
  }

  entries(): SetIterator<[K, K]> {
    return new Set(this.map.keys()).entries();
  }

  keys(): MapIterator<K> {
    return this.map.keys();
  }

  values(): MapIterator<K> {
    return this.map.keys();
  }

  [Symbol.iterator](): MapIterator<K> {
    return this.map.keys();
  }

  forEach(callback: (value: K, value2: K, set: ReadonlySet<K>) => void, thisArg?: unknown): void {
    for (const k of this.map.keys()) callback.call(thisArg, k, k, this);
  }
}
