import { EventEmitter } from 'node:events';

export const emitter = new EventEmitter();

export function onUpdate(u) {
  console.log(u);
}

export function stopAll() {
  emitter.removeAllListeners('done');
  emitter.off('update', onUpdate);
}
