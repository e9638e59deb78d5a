// ES module collecting request metrics on a shared bus.
import { EventEmitter } from 'node:events';

const latencies = [];
const seenIds = new Set();
const lastSeen = new Map();

export const bus = new EventEmitter();

bus.on('request', (evt) => {
  latencies.push(evt.ms); // want LK001 "latencies"
  seenIds.add(evt.id); // want LK001
});

export function touch(userId) {
  lastSeen.set(userId, Date.now()); // want LK001 "lastSeen"
  lastSeen.set(userId, Date.now());
}

export function percentile(p) {
  const sorted = [...latencies].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) * p)];
}
