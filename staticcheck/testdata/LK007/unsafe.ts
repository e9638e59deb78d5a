// Object keys, but the collection is iterated, sized or handed off, so a weak
// collection cannot replace it: LK001 reports the growth, not LK007.
import type { IncomingMessage } from 'node:http';
import { report } from './report';

const active = new Map<IncomingMessage, number>();
const watchers = new Set<IncomingMessage>();
const handedOff = new Map<IncomingMessage, string>();
const seeded = new Map<object, number>([[{}, 1]]);

export function track(req: IncomingMessage): void {
  active.set(req, Date.now());
  watchers.add(req);
  handedOff.set(req, req.url ?? '');
  seeded.set(req, 1);
}

export function stats(): number {
  let n = 0;
  for (const [, t] of active) n += t;
  return n + watchers.size;
}

report(handedOff);
