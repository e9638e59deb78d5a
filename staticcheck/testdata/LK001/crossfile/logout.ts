import * as cache from './cache';
import { hits } from './cache.js';

export function logout(id: string): void {
  cache.sessions.delete(id);
}

export function total(): number {
  let n = 0;
  for (const v of hits.values()) n += v;
  return n;
}
