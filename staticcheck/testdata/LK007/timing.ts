import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

const startTimes = new Map<IncomingMessage, number>();
const traced: Set<IncomingMessage> = new Set();
const bytesBySocket: Map<Socket, number> = new Map();
const ids = new Map<string, number>();

export function timing(req: IncomingMessage, res: ServerResponse, next: () => void): void {
  startTimes.set(req, performance.now()); // want LK007 "startTimes"
  traced.add(req); // want LK007 "traced"
  bytesBySocket.set(req.socket, 0); // want LK007 "bytesBySocket"
  next();
}

export function elapsed(req: IncomingMessage): number {
  return performance.now() - (startTimes.get(req) ?? 0);
}

export function isTraced(req: IncomingMessage): boolean {
  return traced.has(req);
}

// A primitive key type: a WeakMap cannot hold it (LK001 reports it, not LK007).
export function count(name: string): void {
  ids.set(name, (ids.get(name) ?? 0) + 1);
}
