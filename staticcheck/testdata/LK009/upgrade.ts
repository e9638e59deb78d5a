// TypeScript: the head kept on the request.
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';

interface UpgradeRequest extends IncomingMessage {
  head?: Buffer;
}

export function attach(server: Server): void {
  server.on('upgrade', (req: UpgradeRequest, socket: Duplex, head: Buffer) => {
    req.head = head; // want LK009
    socket.end();
  });
}
