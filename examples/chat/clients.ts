// Connected clients. Each one is a server-sent-events response subscribed to
// a room of the hub.
import type { ServerResponse } from 'node:http';
import { hub, type Message } from './hub.ts';

function send(res: ServerResponse, msg: Message): void {
  res.write(`data: ${JSON.stringify(msg)}\n\n`);
}

// Correct: the set of open connections, emptied as clients leave.
export const open = new Set<ServerResponse>();

// Correct: subscribes with a named handler and removes that same function
// when the client disconnects.
export function join(room: string, res: ServerResponse): void {
  open.add(res);
  const onMessage = (msg: Message) => send(res, msg);
  hub.on(room, onMessage);
  res.on('close', () => {
    open.delete(res);
    hub.off(room, onMessage);
  });
}

// LEAK (LK002): .bind() makes a new function each time, so the function
// removed on close is not the one that was added: the listener (and the
// whole Subscription with its response) stays on the hub forever.
export class Subscription {
  constructor(private readonly res: ServerResponse, room: string) {
    hub.on(room, this.deliver.bind(this));
    res.on('close', () => hub.off(room, this.deliver.bind(this)));
  }

  deliver(msg: Message): void {
    send(this.res, msg);
  }
}

// LEAK (LK003): a keep-alive ping per connection, never cleared.
export function keepAlive(res: ServerResponse): void {
  setInterval(() => res.write(': ping\n\n'), 15_000);
}

// Correct: one module-level ping for every open client; unref() lets the
// process exit while it runs.
const ping = setInterval(() => {
  for (const res of open) res.write(': ping\n\n');
}, 15_000);
ping.unref();
