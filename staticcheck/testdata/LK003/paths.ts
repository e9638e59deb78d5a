// TypeScript, ES module syntax. Timers cleared on one path only.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

const wss = new WebSocketServer({ port: 8090 });

// Cleared when the client says goodbye, not when the socket drops.
wss.on('connection', (ws: WebSocket) => {
  const keepAlive: NodeJS.Timeout = setInterval(() => ws.ping(), 30_000); // want LK003 "interval keepAlive .* is cleared on \"end\" of ws"
  ws.on('end', () => clearInterval(keepAlive));
});

export function stream(req: IncomingMessage, res: ServerResponse): void {
  const flush = setInterval(() => res.write('\n'), 1000); // want LK003 "interval flush .* is cleared on \"end\" of req"
  req.on('end', () => {
    clearInterval(flush);
    res.end();
  });
}

export class Tracker {
  private timer?: NodeJS.Timeout;

  track(socket: Socket): void {
    const sampler = setInterval(() => this.sample(socket), 500); // want LK003 "interval sampler .* is cleared on \"finish\" of socket"
    socket.on('finish', () => clearInterval(sampler));
  }

  private sample(socket: Socket): void {}
}

export async function download(url: string, onTick: () => void): Promise<Buffer> {
  const tick = setInterval(onTick, 250); // want LK003 "is cleared after `await fetch\\(url\\)` but not when it throws"
  const response = await fetch(url);
  clearInterval(tick);
  return Buffer.from(await response.arrayBuffer());
}

export async function migrate(db: { run(): Promise<void>; ready: boolean }): Promise<void> {
  const spinner = setInterval(() => process.stdout.write('.'), 200); // want LK003 "is cleared further down but not when an early return"
  if (!db.ready) return;
  await Promise.resolve();
  clearInterval(spinner);
}

export function validate(input: unknown): void {
  const watchdog = setInterval(() => console.warn('slow'), 1000); // want LK003 "is cleared further down but not when an early throw"
  if (typeof input !== 'object') {
    throw new TypeError('object expected');
  }
  clearInterval(watchdog);
}

createServer((req, res) => {
  let beat: NodeJS.Timeout;
  beat = setInterval(() => res.write(':'), 1000); // want LK003 "interval beat .* is cleared on \"end\" of req"
  req.on('end', () => clearInterval(beat));
}).listen(8091);

export async function upload(file: { send(): Promise<void> }, report: () => void): Promise<void> {
  const progress = setInterval(report, 100); // want LK003 "after `await file.send\\(\\)`"
  await file.send();
  clearInterval(progress);
}

export function handle(socket: Socket): void {
  const idle = setInterval(() => socket.write('\0'), 10_000); // want LK003 "is cleared on \"end\" of socket"
  const stop = (): void => clearInterval(idle);
  socket.on('end', stop);
}

// --- not reported ---

wss.on('connection', (ws: WebSocket) => {
  const keepAlive = setInterval(() => ws.ping(), 30_000);
  ws.on('close', () => clearInterval(keepAlive));
});

export async function downloadSafely(url: string, onTick: () => void): Promise<Buffer> {
  const tick = setInterval(onTick, 250);
  try {
    const response = await fetch(url);
    return Buffer.from(await response.arrayBuffer());
  } finally {
    clearInterval(tick);
  }
}

export function validated(input: unknown): void {
  if (typeof input !== 'object') {
    throw new TypeError('object expected');
  }
  const watchdog = setInterval(() => console.warn('slow'), 1000);
  clearInterval(watchdog);
}

export function both(socket: Socket): void {
  const idle = setInterval(() => socket.write('\0'), 10_000);
  socket.on('end', () => clearInterval(idle));
  socket.on('error', () => clearInterval(idle));
}

export class Poller {
  private timer?: NodeJS.Timeout;

  start(): void {
    this.timer = setInterval(() => this.poll(), 1000);
  }

  private poll(): void {}

  stop(): void {
    clearInterval(this.timer);
  }
}

export function unrefed(socket: Socket): void {
  const idle = setInterval(() => socket.write('\0'), 10_000);
  socket.on('close', () => clearInterval(idle));
}
