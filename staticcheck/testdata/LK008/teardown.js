// The teardown is what runs when the instance ends: its methods, the
// helpers they call, and listeners for terminal events ('close', 'end').
const { EventEmitter } = require('events');

class Channel extends EventEmitter {
  constructor(conn, socket) {
    super();
    this.conn = conn;
    this.onBlocked = () => this.emit('blocked');
    this.onUnblocked = () => this.emit('unblocked');
    conn.on('blocked', this.onBlocked);
    conn.on('unblocked', this.onUnblocked);
    socket.on('close', () => this._cleanup());
  }

  // Removed in a helper of the 'close' listener: symmetric.
  _cleanup() {
    this.conn.removeListener('blocked', this.onBlocked);
    this.conn.removeListener('unblocked', this.onUnblocked);
  }
}

class Queue {
  constructor(conn) {
    this.conn = conn;
    this.onDrain = () => this.flush();
    this.onError = (e) => this.fail(e);
    conn.on('drain', this.onDrain);
    conn.on('error', this.onError); // want LK008 "not removed by close\\(\\)"
  }

  flush() {}
  fail() {}

  // close() tears down through _detach().
  close() {
    this._detach();
  }

  _detach() {
    this.conn.off('drain', this.onDrain);
  }
}

// The only teardown is a 'close' listener that misses one: reported, with
// no fix (there is no teardown method to add the line to).
class Tunnel {
  constructor(upstream, socket) {
    this.upstream = upstream;
    this.onData = (d) => socket.write(d);
    this.onEnd = () => socket.end();
    upstream.on('data', this.onData);
    upstream.on('end', this.onEnd); // want LK008 "not removed by its 'close' listener"
    socket.on('close', () => {
      upstream.off('data', this.onData);
    });
  }
}

// A self-removing listener is a hand-written once (newrelic's SetupMetrics
// waits for agent 'started' that way).
class SetupMetrics {
  constructor(agent) {
    this.agent = agent;
    agent.on('started', postReady);
    function postReady() {
      agent.removeListener('started', postReady);
    }
  }

  teardown() {
    this.agent.off('harvest', () => {});
  }
}

// The listener reaches the instance only through a WeakRef: it does not
// keep a torn-down instance alive.
class Weak {
  constructor(hub) {
    this.hub = hub;
    const ref = new WeakRef(this);
    hub.on('tick', () => ref.deref()?.tick());
    hub.on('tock', this.onTock);
  }

  onTock() {}
  tick() {}

  destroy() {
    this.hub.off('tock', this.onTock);
  }
}

// The unsubscribe function on() returns is kept: the teardown calls it.
class Store {
  constructor(hub) {
    this.hub = hub;
    this.unsubscribe = hub.on('change', () => this.render());
    hub.on('reset', this.onReset);
  }

  render() {}
  onReset() {}

  dispose() {
    this.unsubscribe();
    this.hub.off('reset', this.onReset);
  }
}

module.exports = { Channel, Queue, Tunnel, SetupMetrics, Weak, Store };
