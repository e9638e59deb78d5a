// Collections handed to other code, which may evict them: not reported.
import { registerCache, startJanitor } from './janitor';

const registered = new Map<string, Buffer>();
const watched: string[] = [];
const aliased = new Set<string>();
let alias = aliased;

registerCache(registered);
startJanitor(watched);

export function remember(key: string, value: Buffer): void {
  registered.set(key, value);
  watched.push(key);
  aliased.add(key);
}

export function forget(): void {
  alias.clear();
}

// Flows on through a logical operator, and is cleared through that value.
const primary = new Map<string, string>();
const current = primary ?? new Map<string, string>();

export function put(key: string, value: string): void {
  primary.set(key, value);
}

export function reset(): void {
  current.clear();
}
