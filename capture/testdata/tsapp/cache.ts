// A cache with no eviction.
export class Entry<T> {
  constructor(public key: string, public value: T) {}
}

export class Cache<T> {
  private entries = new Map<string, Entry<T>>();

  put(key: string, value: T): void {
    this.entries.set(key, new Entry(key, value));
  }
}
