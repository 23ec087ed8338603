import { LRUCache } from 'lru-cache';

/**
 * What the gateway works out once and uses again (parsed queries, printed requests, the limits'
 * verdicts), kept for the `max` keys used most recently: one policy for every such memory.
 */
export class Memo<K extends {}, V extends {}> {
  private readonly kept: LRUCache<K, V>;

  constructor(max: number) {
    this.kept = new LRUCache<K, V>({ max });
  }

  get(key: K, make: () => V): V {
    let value = this.kept.get(key);
    if (value === undefined) this.kept.set(key, value = make());
    return value;
  }
}

/**
 * A Memo per object (a parsed operation, a schema) that lives as long as that object does: e.g.
 * the requests printed for one operation, keyed by the fields each holds.
 */
export class MemoPer<O extends object, K extends {}, V extends {}> {
  private readonly memos = new WeakMap<O, Memo<K, V>>();

  constructor(private readonly maxPerObject: number) {}

  get(owner: O, key: K, make: () => V): V {
    let memo = this.memos.get(owner);
    if (!memo) this.memos.set(owner, memo = new Memo(this.maxPerObject));
    return memo.get(key, make);
  }
}
