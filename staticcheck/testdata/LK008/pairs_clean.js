'use strict';
// Adding and removing methods that agree, or that give no sign. None is
// reported.

// moleculer 0.14.24: the local node's list is spliced as well.
class Registry {
  constructor() {
    this.services = new Map();
    this.nodes = { localNode: { services: [] } };
  }

  registerLocalService(svc) {
    this.services.set(svc.fullName, svc);
    this.nodes.localNode.services.push(svc);
  }

  unregisterService(fullName) {
    this.services.delete(fullName);
    const idx = this.nodes.localNode.services.findIndex((s) => s.fullName === fullName);
    if (idx !== -1) this.nodes.localNode.services.splice(idx, 1);
  }
}

// The list is rebuilt with filter.
class Router {
  constructor() {
    this.routes = new Map();
    this.ordered = [];
  }

  addRoute(route) {
    this.routes.set(route.id, route);
    this.ordered.push(route);
  }

  removeRoute(id) {
    this.routes.delete(id);
    this.ordered = this.ordered.filter((r) => r.id !== id);
  }
}

// Emptied elsewhere in the class.
class Hub {
  constructor() {
    this.byTopic = new Map();
    this.log = [];
  }

  subscribe(topic, fn) {
    this.byTopic.set(topic, fn);
    this.log.push(topic);
  }

  unsubscribe(topic) {
    this.byTopic.delete(topic);
  }

  flush() {
    this.log.length = 0;
  }
}

// No removing method at all: nothing says items go away.
class Catalog {
  constructor() {
    this.items = new Map();
    this.names = [];
  }

  add(item) {
    this.items.set(item.id, item);
    this.names.push(item.name);
  }
}

// The removing method shrinks nothing the adding method grows.
class Queue {
  constructor() {
    this.pending = [];
    this.seen = new Set();
    this.done = [];
  }

  add(job) {
    this.pending.push(job);
    this.seen.add(job.id);
  }

  remove() {
    this.done.pop();
  }
}

// One collection only.
class Set2 {
  constructor() {
    this.items = new Set();
  }

  add(x) {
    this.items.add(x);
  }

  remove(x) {
    this.items.delete(x);
  }
}

// Growth in a nested callback is not the adding method's own.
class Loader {
  constructor() {
    this.byName = new Map();
    this.loaded = [];
  }

  register(mod) {
    this.byName.set(mod.name, mod);
    mod.ready.then(() => this.loaded.push(mod));
  }

  unregister(name) {
    this.byName.delete(name);
  }
}

// Both taken out, each in its own removing method.
class Pool {
  constructor() {
    this.all = new Set();
    this.free = [];
  }

  attach(conn) {
    this.all.add(conn);
    this.free.push(conn);
  }

  detach(conn) {
    this.all.delete(conn);
  }

  removeIdle() {
    this.free.shift();
  }
}

// Not on this: a local list.
class Batch {
  constructor() {
    this.items = new Map();
  }

  add(item) {
    const list = [];
    this.items.set(item.id, item);
    list.push(item);
    return list;
  }

  remove(id) {
    this.items.delete(id);
  }
}

// A method that is neither adding nor removing by name.
class Cache {
  constructor() {
    this.map = new Map();
    this.keys = [];
  }

  put(key, value) {
    this.map.set(key, value);
    this.keys.push(key);
  }

  remove(key) {
    this.map.delete(key);
  }
}

module.exports = { Registry, Router, Hub, Catalog, Queue, Set2, Loader, Pool, Batch, Cache };
