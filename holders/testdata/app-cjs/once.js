'use strict';
// A once() listener per request for an event that never comes: the array
// holds Node's once wrappers, each with its .listener.
const { EventEmitter } = require('node:events');

class Waiter {
  constructor(id) {
    this.id = id;
  }
}

const ready = new EventEmitter();
ready.setMaxListeners(0);

exports.wait = function wait(id) {
  const w = new Waiter(id);
  ready.once('ready', () => { // want LK102 "ready.once("
    w.id++;
  });
};
