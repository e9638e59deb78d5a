// A listener added per request on a long-lived emitter, never removed.
import { EventEmitter } from "node:events";

class Subscription {
  constructor(public id: number) {}
}

const bus = new EventEmitter();
bus.setMaxListeners(1000);

export function subscribe(id: number): void {
  const sub = new Subscription(id);
  bus.on("tick", () => { // want LK102 "bus.on("
    sub.id++;
  });
}
