import http, { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';

interface Entry {
  body: string;
  at: number;
}

const cache: Map<string, Entry> = new Map();
const tokens = new Set<string>();
const history: string[] = [];
const byUser: Record<string, number> = {};

export const server = http.createServer((req: IncomingMessage, res: ServerResponse) => {
  const key = `${req.method} ${req.url}`;
  const hit = cache.get(key);
  if (hit) {
    res.end(hit.body);
    return;
  }
  const body = JSON.stringify({ url: req.url });
  cache.set(key, { body, at: Date.now() }); // want LK001 "cache"
  res.end(body);
});

export class Auth {
  issue(user: string): string {
    const token = randomUUID();
    tokens.add(token); // want LK001 "tokens"
    byUser[user] = (byUser[user] ?? 0) + 1; // want LK001 "byUser"
    return token;
  }
}

export function audit(line: string): void {
  history.unshift(line); // want LK001 "history"
}
