'use strict';
// A method registered per instance with .bind(this) on a long-lived
// emitter, never removed: the array holds bound functions.
const { EventEmitter } = require('node:events');

const feed = new EventEmitter();
feed.setMaxListeners(0);

class Conn {
  constructor(id) {
    this.id = id;
    feed.on('data', this.onData.bind(this)); // want LK102 "feed.on("
  }

  onData() {
    this.id++;
  }
}

exports.open = function open(id) {
  return new Conn(id);
};
