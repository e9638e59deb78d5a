// CommonJS. "Replace without release": a method puts a new connection in a
// property that the type releases elsewhere, without releasing the one
// that is there.
const { EventEmitter } = require('events');
const Redis = require('./redis');
const net = require('net');
const { Worker } = require('worker_threads');

// Reduced from ioredis' ClusterSubscriber (4.25.0): a node leaving picks
// a new subscriber; the previous one stays connected.
class ClusterSubscriber {
  constructor(pool, emitter) {
    this.pool = pool;
    this.emitter = emitter;
    this.subscriber = null;
    pool.on('-node', () => {
      if (this.subscriber) this.selectSubscriber();
    });
  }

  selectSubscriber() {
    const node = this.pool.sample();
    this.subscriber = new Redis(node.options); // want LK008 "this.subscriber is replaced with a new Redis in selectSubscriber\\(\\) without releasing the one it holds \\(stop\\(\\) calls this.subscriber.disconnect\\(\\)\\)"
    this.subscriber.on('message', (m) => this.emitter.emit('message', m));
  }

  start() {
    this.selectSubscriber();
  }

  stop() {
    if (this.subscriber) {
      this.subscriber.disconnect();
      this.subscriber = null;
    }
  }
}

// A reconnect on a timer replaces the socket; close() destroys it.
class Feed extends EventEmitter {
  constructor(port) {
    super();
    this.port = port;
    this.timer = setInterval(() => this.refresh(), 60000);
  }

  refresh() {
    this.socket = new net.Socket(); // want LK008 "this.socket is replaced with a new net.Socket in refresh\\(\\)"
    this.socket.connect(this.port);
  }

  close() {
    clearInterval(this.timer);
    this.socket.destroy();
  }
}

// A prototype method, released with end().
function Pool(options) {
  this.options = options;
  this.conn = null;
}

Pool.prototype.reset = function () {
  this.conn = new Connection(this.options); // want LK008 "this.conn is replaced with a new Connection in reset\\(\\)"
};

Pool.prototype.destroy = function () {
  this.conn.end();
};

// Released with terminate(), replaced in a method called per job.
class Runner {
  constructor(file) {
    this.file = file;
  }

  handle(job) {
    this.worker = new Worker(this.file, { workerData: job }); // want LK008 "this.worker is replaced with a new Worker in handle\\(\\)"
  }

  shutdown() {
    return this.worker.terminate();
  }
}

// Reduced from mongodb-core's Mongos (3.1.1): a reconnect creates new
// servers while the old ones are still connected.
function Mongos(seedlist) {
  this.seedlist = seedlist;
  this.monitor = null;
}

Mongos.prototype._reconnect = function () {
  this.monitor = new Connection(this.seedlist); // want LK008 "this.monitor is replaced with a new Connection in _reconnect\\(\\)"
};

Mongos.prototype.destroy = function () {
  this.monitor.destroy();
};

// Released through a guard in the teardown; replaced per message.
class Relay {
  constructor(bus) {
    bus.on('route', (r) => this.onRoute(r));
  }

  onRoute(route) {
    this.upstream = new net.Socket(); // want LK008 "this.upstream is replaced with a new net.Socket in onRoute\\(\\)"
    this.upstream.connect(route.port, route.host);
  }

  close() {
    if (this.upstream) this.upstream.destroy();
  }
}

// A static factory method replaced inside a loop callback.
class Shards {
  constructor(list) {
    this.list = list;
  }

  rebalance() {
    this.list.forEach((s) => {
      this.current = new Connection(s); // want LK008 "this.current is replaced with a new Connection in rebalance\\(\\)"
    });
  }

  stop() {
    this.current.close();
  }
}

// --- not reported ---

// Released first.
class Released {
  constructor() {
    this.conn = null;
  }

  swap() {
    if (this.conn) this.conn.close();
    this.conn = new Connection();
  }

  close() {
    this.conn.close();
  }
}

// Guarded: a new one only when there is none.
class Guarded {
  constructor() {
    this.conn = null;
  }

  ensure() {
    if (!this.conn) {
      this.conn = new Connection();
    }
    return this.conn;
  }

  close() {
    this.conn.close();
  }
}

// Kept aside and released after the swap.
class Swapped {
  constructor() {
    this.conn = new Connection();
  }

  rotate() {
    const old = this.conn;
    this.conn = new Connection();
    old.close();
  }

  close() {
    this.conn.close();
  }
}

// Created in the constructor and in the set-up methods, which run once.
class SetUp {
  constructor() {
    this.conn = new Connection();
  }

  connect() {
    this.socket = new net.Socket();
  }

  open() {
    this.link = new Connection();
  }

  close() {
    this.conn.close();
    this.socket.destroy();
    this.link.close();
  }
}

// Nothing in the type releases it: plain data, nothing to release.
class Data {
  constructor() {
    this.stats = null;
  }

  reset() {
    this.stats = new Map();
  }

  close() {
    this.stats.clear();
  }
}

// Replaced when the old one has closed: nothing left to release.
class Reconnecting {
  constructor(port) {
    this.port = port;
    this.socket = new net.Socket();
    this.watch();
  }

  watch() {
    this.socket.on('close', () => {
      this.socket = new net.Socket();
      this.watch();
    });
  }

  destroy() {
    this.socket.destroy();
  }
}

// A local emitter replaced: another property is released.
class Other {
  constructor() {
    this.a = null;
  }

  renew() {
    this.b = new Connection();
  }

  close() {
    this.a.close();
  }
}

// Replaced with null, not a new object.
class Nulled {
  constructor() {
    this.conn = new Connection();
  }

  drop() {
    this.conn = null;
  }

  close() {
    this.conn.close();
  }
}

// A factory's object: no this.
function createClient() {
  let conn = new Connection();
  return {
    renew() {
      conn = new Connection();
    },
    close() {
      conn.close();
    },
  };
}

class Connection extends EventEmitter {
  close() {}
  end() {}
  destroy() {}
}

module.exports = { Mongos, Relay, Shards, ClusterSubscriber, Feed, Pool, Runner, Released, Guarded, Swapped, SetUp, Data, Reconnecting, Other, Nulled, createClient };
