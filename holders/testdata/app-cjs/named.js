'use strict';
// A request handler that registers a named listener on a module-level
// emitter on every request.
const { EventEmitter } = require('node:events');

const messages = new EventEmitter();
messages.setMaxListeners(0);

class Reply {
  constructor(id) {
    this.id = id;
  }
}

exports.handle = function handle(id) {
  const reply = new Reply(id);
  reply.sent = false;
  function onMessage(msg) {
    reply.id += msg.length;
  }
  messages.on('message', onMessage); // want LK102 "messages.on("
};
