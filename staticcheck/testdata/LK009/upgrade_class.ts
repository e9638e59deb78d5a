// TypeScript: an upgrade handler method bound in the constructor.
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';

type Pending = { req: IncomingMessage; socket: Duplex; head?: Buffer };

export class Upgrades {
  private last?: Buffer;
  private readonly pending: Pending = {} as Pending;

  constructor(server: Server) {
    server.on('upgrade', this.accept.bind(this));
  }

  private accept(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.last = head; // want LK009 "this.last keeps head, the head of an HTTP upgrade received by accept\\(\\), and nothing clears it"
    this.pending.head = head; // want LK009 "this.pending.head keeps head"
    socket.pause();
  }
}
