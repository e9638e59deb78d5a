'use strict';
// A listener added per request on a long-lived emitter, never removed.
const { EventEmitter } = require('node:events');

class Subscription {
  constructor(id) {
    this.id = id;
  }
}

const bus = new EventEmitter();
bus.setMaxListeners(1000);

exports.subscribe = function subscribe(id) {
  const sub = new Subscription(id);
  bus.on('tick', () => { // want LK102 "bus.on("
    sub.id++;
  });
};
