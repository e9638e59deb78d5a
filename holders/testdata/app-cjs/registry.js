'use strict';
// moleculer's shape: the registry adds every local service to the list of
// a node it holds, through a catalog, and never removes it.
const { Peer } = require('./peer');

class Service {
  constructor(id) {
    this.id = id;
  }
}

class Registry {
  constructor() {
    this.nodes = { localNode: new Peer('local') };
  }

  register(service) {
    this.nodes.localNode.services.push(service); // want LK104 "this.nodes.localNode.services.push("
  }
}

const registry = new Registry();

exports.register = function register(id) {
  registry.register(new Service(id));
};
