'use strict';
// Methods that make an object without the parent keeping it through a
// listener. None of them is reported.
const EventEmitter = require('events');

// mongodb 2.0.29: the children are kept in an array the parent emits to.
class Db extends EventEmitter {
  constructor() {
    super();
    this.children = [];
  }

  db(name) {
    const db = new Db(name);
    this.children.push(db);
    return db;
  }
}

// The handler does not hold the child.
class Pool extends EventEmitter {
  lease() {
    const conn = new Connection();
    this.on('drain', () => this.stats());
    return conn;
  }

  stats() {}

  // The child is not returned: it dies with the call.
  probe() {
    const conn = new Connection();
    this.once('ready', () => conn.ping());
    conn.ping();
  }

  // The listener is on the child, not on this.
  open() {
    const conn = new Connection();
    conn.on('close', () => this.emit('lost'));
    return conn;
  }

  // The child is removed again: the file takes 'reset' listeners off.
  session() {
    const session = new Session();
    const onReset = () => session.reset();
    this.on('reset', onReset);
    session.end = () => this.removeListener('reset', onReset);
    return session;
  }

  // Returns this, not a new object.
  use(plugin) {
    this.on('init', () => plugin.init(this));
    return this;
  }

  // Returns an object that is not made with new.
  view() {
    const view = { pool: this };
    this.on('change', () => view.stale = true);
    return view;
  }

  // The constructor registers the instance itself.
  constructor() {
    super();
    const self = new Connection();
    this.on('idle', () => self.ping());
  }
}

// A listener on another emitter.
class Factory {
  constructor(bus) {
    this.bus = bus;
  }

  make() {
    const widget = new Widget();
    this.bus.on('theme', () => widget.restyle());
    return widget;
  }
}

// A plain function, not a method: this is not an instance.
function build(emitter) {
  const w = new Widget();
  emitter.on('theme', () => w.restyle());
  return w;
}

// The variable is reassigned: not the object made here.
class Reuse extends EventEmitter {
  get() {
    let w = new Widget();
    if (this.cached) w = this.cached;
    this.on('theme', () => w.restyle());
    return w;
  }
}

// A dynamic event name.
class Router extends EventEmitter {
  route(path) {
    const r = new Route(path);
    this.on(path, () => r.run());
    return r;
  }
}

class Connection {
  ping() {}
}
class Session {
  reset() {}
}
class Widget {
  restyle() {}
}
class Route {
  run() {}
}

module.exports = { Db, Pool, Factory, build, Reuse, Router };

// The child takes its listener off the parent when it ends.
class Server extends EventEmitter {
  session() {
    const session = new Session();
    const onClose = () => session.reset();
    this.once('shutdown', onClose);
    session.end = () => this.removeListener('shutdown', onClose);
    return session;
  }

  close() {
    this.removeAllListeners();
  }
}
module.exports.Server = Server;
