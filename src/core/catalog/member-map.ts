/**
 * A table's columns or constraints: a CowMap whose fork is O(1), so copying a table before its
 * first write after a catalog fork costs no more for a table of 20,000 columns than for one of 3.
 * (A full copy per write made one table changed by many statements quadratic in time and memory.)
 *
 * The rules and `apply.ts` change columns and constraints in place (`col.notNull = true`), so the
 * map of a writable table hands out its own copy of an entry the first time it is read — by `get`
 * or by iteration — while the entry is still shared with the table it was forked from. A map stays
 * writable while its lease holds (the catalog that owns the table has not forked since); after that
 * it is read-only and reads copy nothing.
 */
import { CowMap } from './cow-map';

export class MemberMap<V extends object> extends CowMap<string, V> {
  /** Null for a read-only map (every map a snapshot holds). */
  private lease!: (() => boolean) | null;
  /** Entries this writable map may change in place: its own copies and the entries set into it. */
  private owned!: WeakSet<V>;
  private copyEntry!: (value: V) => V;

  static of<V extends object>(entries: Iterable<readonly [string, V]>, copyEntry: (value: V) => V): MemberMap<V> {
    const map = new MemberMap<V>(entries);
    map.lease = null;
    map.owned = new WeakSet();
    map.copyEntry = copyEntry;
    return map;
  }

  /** A read-only fork. */
  override fork(): MemberMap<V> {
    const copy = super.fork() as MemberMap<V>;
    copy.lease = null;
    copy.owned = new WeakSet();
    copy.copyEntry = this.copyEntry;
    return copy;
  }

  /** A fork whose entries are copied on first read while `lease()` holds. */
  forkWritable(lease: () => boolean): MemberMap<V> {
    const copy = this.fork();
    copy.lease = lease;
    return copy;
  }

  private writable(): boolean {
    return this.lease !== null && this.lease();
  }

  override get(key: string): V | undefined {
    const value = super.get(key);
    if (value === undefined || !this.writable() || this.owned.has(value)) return value;
    const own = this.copyEntry(value);
    this.set(key, own);
    return own;
  }

  override set(key: string, value: V): this {
    if (this.lease !== null) this.owned.add(value);
    return super.set(key, value);
  }

  override entries(): MapIterator<[string, V]> {
    this.ownAll();
    return super.entries();
  }

  override values(): MapIterator<V> {
    this.ownAll();
    return super.values();
  }

  override forEach(callback: (value: V, key: string, map: ReadonlyMap<string, V>) => void, thisArg?: unknown): void {
    this.ownAll();
    super.forEach(callback, thisArg);
  }

  /** Before iterating a writable map: its own copy of every entry (the loop may change them). */
  private ownAll(): void {
    if (!this.writable()) return;
    const shared: [string, V][] = [];
    super.forEach((v, k) => {
      if (!this.owned.has(v)) shared.push([k, v]);
    });
    for (const [k, v] of shared) this.set(k, this.copyEntry(v));
  }
}
