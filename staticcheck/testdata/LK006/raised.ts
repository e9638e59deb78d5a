// TypeScript, ES module syntax. Raised limits that hide a per-call leak.
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

export const events = new EventEmitter();
events.setMaxListeners(25); // want LK006 "events.setMaxListeners\\(\\) raises the limit of an emitter that gains a listener per call"

export function handle(req: IncomingMessage, res: ServerResponse): void {
  events.on('flush', () => res.end());
}

const MAX = 64;
const queue = new EventEmitter();
queue.setMaxListeners(MAX); // want LK006 "queue.setMaxListeners\\(\\) raises the limit"
createServer((req, res) => {
  queue.addListener('drain', () => res.end());
}).listen(8090);

export class Broker extends EventEmitter {
  private count = 0;

  subscribe(topic: string, fn: (m: string) => void): void {
    this.setMaxListeners(this.getMaxListeners() + 1); // want LK006 "raises the limit again on every call of subscribe\\(\\)"
    this.on(topic, fn);
  }

  addClient(client: { send(m: string): void }): void {
    this.setMaxListeners(++this.count); // want LK006 "raises the limit again"
    this.on('broadcast', (m: string) => client.send(m));
  }
}

const signals = new EventEmitter();
let limit = 10;
export function watch(onSignal: () => void): void {
  limit += 1;
  signals.setMaxListeners((limit += 1)); // want LK006 "raises the limit again"
  signals.on('signal', onSignal);
}

const metrics = new EventEmitter();
export function report(res: ServerResponse): void {
  metrics.setMaxListeners(metrics.getMaxListeners() + 1); // want LK006 "metrics.setMaxListeners\\(\\)"
  metrics.once('sample', (s: number) => res.end(String(s)));
}

const ticker = new EventEmitter();
ticker.setMaxListeners(200); // want LK006 "ticker.setMaxListeners\\(\\)"
export function onSocket(socket: { write(s: string): void }): void {
  ticker.on('tick', (t: number) => socket.write(String(t)));
}

process.setMaxListeners(process.getMaxListeners() + 1); // once, at load time

createServer((req, res) => {
  process.setMaxListeners(process.getMaxListeners() + 1); // want LK006 "process.setMaxListeners\\(\\) raises the limit again on every request"
  process.once('beforeExit', () => res.end());
}).listen(8091);

// --- not reported ---

const tidy = new EventEmitter();
tidy.setMaxListeners(30);
export function tidyHandle(req: IncomingMessage, res: ServerResponse): void {
  const onFlush = (): void => {
    res.end();
  };
  tidy.on('flush', onFlush);
  res.on('close', () => tidy.off('flush', onFlush));
}

const bounded = new EventEmitter();
bounded.setMaxListeners(5);
export function boundedHandle(res: ServerResponse): void {
  bounded.on('x', () => res.end());
}

export class Pool extends EventEmitter {
  constructor(size: number) {
    super();
    this.setMaxListeners(size + 1);
  }
}

export function scoped(handlers: Array<() => void>): EventEmitter {
  const e = new EventEmitter();
  e.setMaxListeners(e.getMaxListeners() + handlers.length);
  for (const h of handlers) e.on('go', h);
  return e;
}

const once = new EventEmitter();
once.setMaxListeners(100);
export function waitReady(res: ServerResponse): void {
  once.once('ready', () => res.end());
}

const guarded = new EventEmitter();
guarded.setMaxListeners(50);
export function withSignal(res: ServerResponse, signal: AbortSignal): void {
  guarded.on('x', () => res.end(), { signal } as never);
}

const loaded = new EventEmitter();
loaded.setMaxListeners(loaded.getMaxListeners() + 10);
loaded.on('a', () => {});
