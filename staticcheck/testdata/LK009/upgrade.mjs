// ES module: an upgrade handler class.
import { createServer } from 'node:http';

export class Gateway {
  constructor() {
    this.server = createServer();
    this.server.on('upgrade', (req, socket, head) => this.onUpgrade(req, socket, head));
  }

  onUpgrade(req, socket, head) {
    this.lastHead = head; // want LK009 "this.lastHead keeps head, the head of an HTTP upgrade received by onUpgrade\\(\\)"
    socket.end();
  }
}
