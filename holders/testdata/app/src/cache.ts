// A module-level Map that grows per request and is never evicted.
class CacheEntry {
  constructor(public id: number, public body: string) {}
}

const requestCache = new Map<number, CacheEntry>();

export function remember(id: number): void {
  requestCache.set(id, new CacheEntry(id, "x".repeat(64))); // want LK101 "requestCache.set("
}
