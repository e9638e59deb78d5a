'use strict';
// One handler per request registered on two emitters: a per-request one,
// collected with the request, and a long-lived one that keeps it. The
// growth site is the call on the emitter that keeps it.
const { EventEmitter } = require('node:events');

const shared = new EventEmitter();
shared.setMaxListeners(0);

class Ticket {
  constructor(id) {
    this.id = id;
  }
}

exports.pair = function pair(id) {
  const ticket = new Ticket(id);
  const local = new EventEmitter();
  function onPing() {
    ticket.id++;
  }
  local.on('ping', onPing);
  shared.on('ping', onPing); // want LK102 "shared.on("
};
