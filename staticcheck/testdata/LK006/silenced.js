// Silencing the listener-leak warning in a CommonJS service.
const EventEmitter = require('events');
const events = require('node:events');
const { setMaxListeners } = require('node:events');
const net = require('net');

const UNLIMITED = 0;
const LOTS = 1e6;

const bus = new EventEmitter();
bus.setMaxListeners(0); // want LK006 "setMaxListeners"

const jobs = new EventEmitter();
jobs.setMaxListeners(Infinity); // want LK006

process.setMaxListeners(Number.POSITIVE_INFINITY); // want LK006

EventEmitter.defaultMaxListeners = 0; // want LK006 "defaultMaxListeners"

require('events').defaultMaxListeners = Infinity; // want LK006

events.setMaxListeners(UNLIMITED, bus); // want LK006

setMaxListeners(LOTS, jobs); // want LK006

const server = net.createServer((socket) => {
  socket.setMaxListeners(100000); // want LK006
  bus.on('shutdown', () => socket.end());
});

class Channel extends EventEmitter {
  constructor() {
    super();
    this.setMaxListeners(Number.MAX_SAFE_INTEGER); // want LK006
  }
}

const chained = new EventEmitter().setMaxListeners(0).on('x', () => {}); // want LK006

module.exports = { bus, jobs, server, Channel, chained };
