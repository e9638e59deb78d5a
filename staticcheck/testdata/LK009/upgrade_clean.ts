// TypeScript upgrade handlers that do not keep the head.
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';

interface Req extends IncomingMessage {
  head?: Buffer | null;
  headLength?: number;
}

export class Gateway {
  private pending = new Map<Duplex, Buffer>();

  constructor(server: Server) {
    server.on('upgrade', (req: Req, socket: Duplex, head: Buffer) => this.onUpgrade(req, socket, head));
    server.on('request', (req: Req) => this.onRequest(req));
  }

  // Copied, cleared after use, only its length kept.
  onUpgrade(req: Req, socket: Duplex, head: Buffer): void {
    req.headLength = head.length;
    this.pending.set(socket, Buffer.from(head));
    req.head = head;
    this.dispatch(req);
    req.head = null;
  }

  dispatch(_req: Req): void {}

  // Not an upgrade handler: a request has no head.
  onRequest(req: Req): void {
    req.headLength = 0;
  }
}

// A 'connect' listener's head is not followed, nor a function that is
// called with something else as its third argument.
export function tunnel(server: Server): void {
  server.on('connect', (req: Req, socket: Duplex, head: Buffer) => {
    keep(req, socket, head);
  });
}

function keep(req: Req, _socket: Duplex, head: Buffer): void {
  req.head = head;
}

export function fromElsewhere(req: Req, socket: Duplex): void {
  keep(req, socket, Buffer.alloc(0));
}
