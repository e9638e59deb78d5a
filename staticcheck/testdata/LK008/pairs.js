'use strict';
// An adding method puts the item in two collections; the removing method
// takes it out of one only (CommonJS).

// moleculer 0.14.23's Registry: unregisterService() forgot the local
// node's list.
class Registry {
  constructor(broker) {
    this.broker = broker;
    this.services = new ServiceCatalog();
    this.nodes = { localNode: { services: [] } };
  }

  registerLocalService(svc) {
    if (!this.services.has(svc.fullName)) {
      const service = this.services.add(svc);
      this.nodes.localNode.services.push(service); // want LK008 "registerLocalService\\(\\) puts the item in this.services and in this.nodes.localNode.services; unregisterService\\(\\) takes it out of this.services but nothing takes it out of this.nodes.localNode.services"
    }
  }

  unregisterService(fullName) {
    this.services.remove(fullName);
  }
}

class ServiceCatalog {
  has() {
    return false;
  }
  add(svc) {
    return svc;
  }
  remove() {}
}

// A Map by id and a list for iteration.
class Router {
  constructor() {
    this.routes = new Map();
    this.ordered = [];
    this.byMethod = new Map();
  }

  addRoute(route) {
    this.routes.set(route.id, route);
    this.ordered.push(route); // want LK008 "addRoute\\(\\) puts the item in this.routes and in this.ordered; removeRoute\\(\\) takes it out of this.routes"
    this.byMethod.set(route.method, route); // want LK008 "in this.byMethod"
  }

  removeRoute(id) {
    this.routes.delete(id);
  }
}

// Subscriptions kept by topic and in a Set of all.
class Hub {
  constructor() {
    this.byTopic = new Map();
    this.all = new Set();
  }

  subscribe(topic, fn) {
    this.byTopic.set(topic, fn);
    this.all.add(fn); // want LK008
  }

  unsubscribe(topic) {
    this.byTopic.delete(topic);
  }
}

// Leading underscores and other verbs.
class Tracker {
  constructor() {
    this.active = new Set();
    this.history = [];
  }

  _track(req) {
    this.active.add(req);
    this.history.unshift(req); // want LK008 "_track\\(\\) puts the item in this.active and in this.history; _untrack\\(\\) takes it out of this.active"
  }

  _untrack(req) {
    this.active.delete(req);
  }
}

module.exports = { Registry, Router, Hub, Tracker };
