// Typed handlers: per-call objects recognised by their types.
import type { IncomingMessage, ServerResponse } from 'node:http';

const TIMEOUT = 30_000;
const jobs: Array<() => void> = [];

export function handle(incoming: IncomingMessage, out: ServerResponse): void {
  setTimeout(() => console.log(incoming.url, incoming.method), TIMEOUT); // want LK004 "incoming.url, incoming.method"
  jobs.push(() => console.log(out.statusCode)); // want LK004 "out.statusCode"
  setTimeout(() => out.end(), TIMEOUT);
  setTimeout(() => out.setHeader('x', '1'), TIMEOUT);
}

export async function parse(r: Request): Promise<void> {
  const data = await r.json();
  setTimeout(() => console.log(data.id), 60000); // want LK004 "data.id"
  const small = { id: 1 };
  setTimeout(() => console.log(small.id), 60000);
  const id: string = data.id;
  jobs.push(() => console.log(id));
}

export class Service {
  private queue: Array<() => void> = [];
  handle(req: IncomingMessage): void {
    this.queue.push(() => console.log(req.url));
    setTimeout(() => {
      req.url = '/changed';
    }, 60000);
  }
}
