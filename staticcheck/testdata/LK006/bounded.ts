import { EventEmitter, setMaxListeners } from 'node:events';

const DEFAULT_LIMIT = 25;

export class Feed extends EventEmitter {
  constructor(limit: number = DEFAULT_LIMIT) {
    super();
    this.setMaxListeners(limit);
  }
}

export function wire(target: EventTarget): void {
  setMaxListeners(DEFAULT_LIMIT, target);
  setMaxListeners(30, target);
}

export const feed = new Feed().setMaxListeners(40);
