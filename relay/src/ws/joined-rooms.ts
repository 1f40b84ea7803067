/**
 * The rooms one socket joined, by room id. Nearly every socket joins one
 * room: that one is kept in two fields, and a Map is made only for a second,
 * so an idle socket holds no hash table (about 200 bytes of heap each; see
 * BENCHMARKS.md, idle memory).
 */
export class JoinedRooms<V> {
  private key: string | undefined;
  private value: V | undefined;
  private more: Map<string, V> | undefined;

  get size(): number {
    return (this.key === undefined ? 0 : 1) + (this.more?.size ?? 0);
  }

  has(key: string): boolean {
    return key === this.key || (this.more?.has(key) ?? false);
  }

  get(key: string): V | undefined {
    return key === this.key ? this.value : this.more?.get(key);
  }

  set(key: string, value: V): void {
    if (this.key === undefined || this.key === key) {
      this.key = key;
      this.value = value;
    } else {
      (this.more ??= new Map()).set(key, value);
    }
  }

  delete(key: string): boolean {
    if (key !== this.key) return this.more?.delete(key) ?? false;
    this.key = undefined;
    this.value = undefined;
    const next = this.more?.entries().next();
    if (next && !next.done) {
      [this.key, this.value] = next.value;
      this.more!.delete(this.key);
    }
    return true;
  }

  *keys(): IterableIterator<string> {
    if (this.key !== undefined) yield this.key;
    if (this.more) yield* this.more.keys();
  }

  *values(): IterableIterator<V> {
    if (this.key !== undefined) yield this.value!;
    if (this.more) yield* this.more.values();
  }
}
