// A long-lived emitter, and the removal of the listener server.mjs adds.
import { EventEmitter } from 'node:events';
export const hub = new EventEmitter();
export function onTick(t) {
  console.log(t);
}
export function stopAll() {
  hub.off('tick', onTick);
}
