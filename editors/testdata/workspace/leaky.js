// A server that adds a listener to a long-lived emitter on every request:
// each request's response stays reachable from the emitter forever.
const EventEmitter = require('events');
const http = require('http');

const bus = new EventEmitter();

http.createServer((req, res) => {
  bus.on('tick', (t) => res.write(String(t)));
}).listen(0);

module.exports = { bus };
