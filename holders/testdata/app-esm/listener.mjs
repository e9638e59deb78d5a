// A listener added per request on a long-lived emitter, never removed.
import { EventEmitter } from 'node:events';

class Subscription {
  constructor(id) {
    this.id = id;
  }
}

const bus = new EventEmitter();
bus.setMaxListeners(1000);

export function subscribe(id) {
  const sub = new Subscription(id);
  bus.addListener('tick', function onTick() { // want LK102 "bus.addListener("
    sub.id++;
  });
}
