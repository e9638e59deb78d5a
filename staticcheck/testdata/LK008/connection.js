// CommonJS. A per-connection object listens on the server it is handed;
// its teardown must take each listener off again, with the same function.
const { EventEmitter } = require('events');

class Connection extends EventEmitter {
  constructor(server, socket) {
    super();
    this.server = server;
    this.socket = socket;
    this.onData = (chunk) => this.emit('data', chunk);
    // .bind(this) here and another .bind(this) in destroy(): two functions.
    server.on('request', this.onRequest.bind(this)); // want LK008 "removed in destroy\\(\\) with another function \\(.bind\\(\\) makes a new function each time\\)"
    server.on('data', this.onData);
    server.on('upgrade', (req) => this.upgrade(req)); // want LK008 "not removed by destroy\\(\\)"
    // A fresh arrow removed with another fresh arrow.
    this.server.on('checkContinue', () => this.onContinue()); // want LK008 "with another function \\(an inline function"
    socket.on('data', this.onData); // the socket dies with the connection
  }

  onRequest() {}
  upgrade() {}
  onContinue() {}

  destroy() {
    this.server.off('request', this.onRequest.bind(this));
    this.server.removeListener('data', this.onData);
    this.server.off('checkContinue', () => this.onContinue());
    this.socket.destroy();
  }
}

// Symmetric: every listener removed with the function it was added with.
class Symmetric {
  constructor(server) {
    this.server = server;
    this.onRequest = this.onRequest.bind(this);
    this.onClose = () => this.close();
    server.on('request', this.onRequest);
    server.on('close', this.onClose);
  }

  onRequest() {}

  close() {
    this.server.off('request', this.onRequest);
    this.server.off('close', this.onClose);
  }
}

// removeAllListeners for the event undoes it.
class Flushed {
  constructor(hub) {
    this.hub = hub;
    hub.on('flush', () => this.flush());
  }

  flush() {}

  dispose() {
    this.hub.removeAllListeners('flush');
  }
}

// The emitter is handed in, but nothing in the class ever takes a listener
// off it: no sign that it outlives the instance (it may die with it).
class Parser {
  constructor(stream) {
    this.stream = stream;
    stream.on('data', (d) => this.push(d));
    stream.on('end', () => this.end());
  }

  push() {}

  end() {
    this.done = true;
  }
}

module.exports = { Connection, Symmetric, Flushed, Parser };
