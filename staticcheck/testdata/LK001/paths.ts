// TypeScript, ES module syntax. Entries deleted on one way out only.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

const wss = new WebSocketServer({ port: 8090 });

const online = new Set<string>();
wss.on('connection', (ws: WebSocket, req: IncomingMessage) => {
  const user = String(req.headers['x-user']);
  online.add(user); // want LK001 "Set \"online\" .* deleted on \"end\" of ws"
  ws.on('end', () => online.delete(user));
});

const timings: Record<string, number> = {};
export function timed(req: IncomingMessage, res: ServerResponse): void {
  timings[String(req.url)] = Date.now(); // want LK001 "object \"timings\" .* deleted on \"finish\" of res"
  res.on('finish', () => {
    delete timings[String(req.url)];
  });
}

const callbacks = new Map<number, (v: unknown) => void>();
let seq = 0;
export async function request(send: (id: number) => Promise<void>, cb: (v: unknown) => void): Promise<void> {
  const id = ++seq;
  callbacks.set(id, cb); // want LK001 "deleted after `await send\\(id\\)` but not when it throws"
  await send(id);
  callbacks.delete(id);
}

const locks = new Map<string, number>();
export function lock(key: string, busy: boolean): boolean {
  locks.set(key, Date.now()); // want LK001 "deleted further down but not when an early return"
  if (busy) return false;
  locks.delete(key);
  return true;
}

const uploads = new Map<string, Buffer[]>();
export function upload(req: IncomingMessage): void {
  const id = String(req.headers['x-upload']);
  uploads.set(id, []); // want LK001 "Map \"uploads\" .* deleted on \"end\" of req"
  req.on('data', (c: Buffer) => uploads.get(id)!.push(c));
  req.on('end', () => uploads.delete(id));
}

const peers = new Map<string, number>();
export function peer(socket: Socket): void {
  const key = `${socket.remoteAddress}:${socket.remotePort}`;
  peers.set(key, Date.now()); // want LK001 "Map \"peers\" .* deleted on \"end\" of socket"
  const forget = (): void => {
    peers.delete(key);
  };
  socket.on('end', forget);
}

const parsing = new Set<string>();
export function parse(name: string, text: string): unknown {
  parsing.add(name); // want LK001 "deleted further down but not when an early throw"
  if (!text) throw new SyntaxError('empty');
  const v = JSON.parse(text);
  parsing.delete(name);
  return v;
}

const renders = new Map<string, number>();
createServer((req, res) => {
  renders.set(String(req.url), 0); // want LK001 "Map \"renders\" .* deleted on \"finish\" of res"
  res.once('finish', () => renders.delete(String(req.url)));
}).listen(8091);

const batches = new Map<string, string[]>();
export async function flush(id: string, write: (b: string[]) => Promise<void>): Promise<void> {
  batches.set(id, []); // want LK001 "deleted after `await write\\(batches.get\\(id\\)!\\)`"
  await write(batches.get(id)!);
  batches.delete(id);
}

// --- not reported ---

const connected = new Set<string>();
wss.on('connection', (ws: WebSocket, req: IncomingMessage) => {
  const user = String(req.headers['x-user']);
  connected.add(user);
  ws.on('close', () => connected.delete(user));
});

const inflight = new Map<number, (v: unknown) => void>();
export async function safeRequest(send: (id: number) => Promise<void>, cb: (v: unknown) => void): Promise<void> {
  const id = ++seq;
  inflight.set(id, cb);
  try {
    await send(id);
  } finally {
    inflight.delete(id);
  }
}

const guarded = new Map<string, number>();
export function tryLock(key: string, busy: boolean): boolean {
  if (busy) return false;
  guarded.set(key, Date.now());
  guarded.delete(key);
  return true;
}

const reads = new Map<string, number>();
export function read(req: IncomingMessage): void {
  reads.set(String(req.url), 0);
  req.on('end', () => reads.delete(String(req.url)));
  req.on('error', () => reads.delete(String(req.url)));
}

const sessions = new Map<string, number>();
export function login(id: string): void {
  sessions.set(id, Date.now());
}
export function logout(id: string): void {
  sessions.delete(id);
}

const scratch = new Map<string, number>();
export function compute(key: string): number {
  scratch.set(key, 1);
  const v = scratch.get(key)!;
  scratch.delete(key);
  return v;
}
