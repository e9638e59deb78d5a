import { EventEmitter } from 'node:events';
import type { Server } from 'node:http';

export function tune(server: Server, emitter: EventEmitter): void {
  server.setMaxListeners(0); // want LK006
  (emitter as EventEmitter).setMaxListeners(Infinity); // want LK006
}

const NO_LIMIT = Infinity as const;

export class Pool extends EventEmitter {
  constructor() {
    super();
    this.setMaxListeners(NO_LIMIT); // want LK006
  }
}
