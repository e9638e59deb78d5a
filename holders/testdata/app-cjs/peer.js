'use strict';
// A node of a service registry: its services list is filled by the
// registry (registry.js), not by the node itself.
class Peer {
  constructor(id) {
    this.id = id;
    this.services = [];
  }
}

module.exports = { Peer };
