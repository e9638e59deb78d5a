const { EventEmitter } = require('events');

const bus = new EventEmitter(
bus.setMaxListeners(0); // want LK006

function half() {
  return [1, 2
}
